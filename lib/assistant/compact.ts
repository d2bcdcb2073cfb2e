import type { Priority, Status } from "@/db/schema/enums";
import type { AssistantResponse, TicketSummary } from "./types";

/*
 * Seed 004's short-key answer form (`POST /api/assistant?compact=1`, `npm run desk -- --compact`):
 * short keys, short enum values, no prose on success. Every field is documented in
 * docs/ASSISTANT.md ("Compact form"). Client-safe.
 */

/** Compact status: ok, er (error or not understood), nf (not found), cf (confirm first). */
export type CompactStatus = "ok" | "er" | "nf" | "cf";

/** Compact action: what happened (past tense), or confirm/help/clarify. */
export type CompactAction =
  | "created"
  | "updated"
  | "assigned"
  | "commented"
  | "closed"
  | "resolved"
  | "shown"
  | "listed"
  | "counted"
  | "confirm"
  | "done"
  | "help"
  | "clarify"
  | "suggested";

/** Compact ticket status. */
export type CompactTicketStatus = "new" | "open" | "prog" | "wait" | "res" | "cls";

/** A ticket in compact form. */
export interface CompactTicket {
  /** Key, `T-12`. */
  id: string;
  /** Title, at most 50 characters (cut with `…`). */
  t: string;
  /** Category slug. */
  cat: string;
  /** Priority 1 (P1, highest) … 4 (P4). */
  pri: 1 | 2 | 3 | 4;
  stat: CompactTicketStatus;
  /** Assignee's name; left out when unassigned. */
  as?: string;
}

/** The compact answer. Fields left out are absent, never null. */
export interface CompactResponse {
  s: CompactStatus;
  /** Left out on errors. */
  a?: CompactAction;
  /** A ticket, a list of tickets, ticket keys (confirm/done), examples (help) or commands (clarify). */
  d?: CompactTicket | CompactTicket[] | string[];
  /** Count: matching tickets (list), the stat, tickets a confirmation would touch, or tickets done. */
  n?: number;
  /** 1 when `n` is the cap and more matched (list). */
  gt?: 1;
  /** Failed tickets of a bulk run: [{id, m}]. */
  f?: { id: string; m: string }[];
  /** Confirmation token (send it back as `confirm`). */
  tok?: string;
  /** Message: on errors, clarifications, unknown input and answers without data. */
  m?: string;
  /** Conversation id. */
  c?: string;
}

const STAT: Record<Status, CompactTicketStatus> = { new: "new", open: "open", in_progress: "prog", waiting: "wait", resolved: "res", closed: "cls" };
const PRI: Record<Priority, 1 | 2 | 3 | 4> = { P1: 1, P2: 2, P3: 3, P4: 4 };
const ACTION: Partial<Record<string, CompactAction>> = {
  create: "created",
  create_category: "created",
  update: "updated",
  assign: "assigned",
  comment: "commented",
  show: "shown",
  list: "listed",
  stats: "counted",
  bulk: "done",
  help: "help",
  clarify: "clarify",
  suggest: "suggested",
};

/** Title cut to 50 characters (49 + `…`). */
function short(title: string): string {
  return title.length <= 50 ? title : `${title.slice(0, 49)}…`;
}

/** A ticket summary in compact form. */
export function compactTicket(t: TicketSummary): CompactTicket {
  const c: CompactTicket = { id: t.key, t: short(t.title), cat: t.category, pri: PRI[t.priority], stat: STAT[t.status] };
  if (t.assignee) c.as = t.assignee;
  return c;
}

/**
 * Map an assistant answer (optionally with the error object of a failed one) to the compact
 * form. Error status `nf` when the error is a 404 (`not_found`), else `er`.
 */
export function toCompact(res: AssistantResponse & { error?: { code: string } }): CompactResponse {
  const out = compactBody(res);
  if (res.conversationId) out.c = res.conversationId;
  return out;
}

function compactBody(res: AssistantResponse & { error?: { code: string } }): CompactResponse {
  const d = res.data;
  if (res.error) {
    const e: CompactResponse = { s: res.error.code === "not_found" ? "nf" : "er", m: res.message };
    if (d?.kind === "candidates") e.d = d.candidates.map((c) => c.command);
    return e;
  }
  const s: CompactStatus = res.ok ? "ok" : "er";
  const a = ACTION[res.op] ?? "done";
  if (!d) return { s, a, m: res.message };
  switch (d.kind) {
    case "ticket": {
      const act = res.op === "resolve" ? (d.ticket.status === "closed" ? "closed" : "resolved") : a;
      return { s, a: act, d: compactTicket(d.ticket) };
    }
    case "tickets": {
      const out: CompactResponse = { s, a: "listed", n: d.total ?? d.totalCap, d: d.tickets.map(compactTicket) };
      if (d.total === null) out.gt = 1;
      return out;
    }
    case "stats":
      return { s, a: "counted", n: d.count };
    case "confirm":
      return { s: "cf", a: "confirm", tok: d.token, n: d.total, d: d.tickets.map((t) => t.key) };
    case "bulk": {
      const out: CompactResponse = { s, a: "done", n: d.succeeded, d: d.results.filter((r) => r.ok).map((r) => r.key) };
      const failed = d.results.filter((r) => !r.ok).map((r) => ({ id: r.key, m: r.error ?? "failed" }));
      if (failed.length) out.f = failed;
      return out;
    }
    case "help":
      return res.ok ? { s, a: "help", d: d.examples } : { s, a: "help", m: res.message, d: d.examples };
    case "candidates":
      return { s: "er", a: "clarify", m: res.message, d: d.candidates.map((c) => c.command) };
    default:
      // A kind added later (e.g. the per-ticket assistant's): the message stands in for it.
      return { s, a, m: res.message };
  }
}
