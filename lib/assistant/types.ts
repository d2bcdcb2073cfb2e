import type { Priority, Status } from "@/db/schema/enums";
import type { AssistantOp, AssistantOpName, TicketFilter } from "./ops";

/*
 * What the assistant answers. Client-safe (the command bar and the history pages render these).
 * The API answers {op, ok, data, message} (+ conversationId); `?compact=1` maps it with
 * lib/assistant/compact.ts.
 */

/** A ticket as the assistant shows it: one row with a link. */
export interface TicketSummary {
  key: string;
  title: string;
  status: Status;
  priority: Priority;
  /** Category slug. */
  category: string;
  /** Team (assignment group) slug, or null. */
  team: string | null;
  /** Assignee's display name, or null when unassigned. */
  assignee: string | null;
  requester: string;
  /** ISO 8601. */
  createdAt: string;
  /** Desk path of the ticket: `/tickets/T-12` (agents) or `/requests/T-12` (requesters). */
  href: string;
}

/** One choice offered when the input was ambiguous ("maria" matches two agents). */
export interface Candidate {
  label: string;
  /** A command that picks this candidate, ready to send as `text`. */
  command: string;
}

/** The typed result, discriminated by `kind`. */
export type AssistantData =
  /** create/update/assign/comment/resolve/show: the ticket after the change, and what changed. */
  | { kind: "ticket"; ticket: TicketSummary; changes: string[] }
  /** list: one page of matching tickets; `total` exact up to `totalCap`, else null (more than the cap). */
  | { kind: "tickets"; tickets: TicketSummary[]; total: number | null; totalCap: number; filter: TicketFilter; description: string }
  /** stats. */
  | { kind: "stats"; metric: "tickets" | "breaches"; count: number; from: string | null; to: string | null; description: string }
  /** bulk (first answer): what it would touch; send `token` as `confirm` to run it (valid until expiresAt). */
  | { kind: "confirm"; token: string; expiresAt: string; tickets: TicketSummary[]; total: number; action: string }
  /** bulk (after confirmation): per-ticket outcome. */
  | { kind: "bulk"; results: { key: string; ok: boolean; error?: string }[]; succeeded: number; failed: number }
  /** help or unknown input: what the assistant can do. */
  | { kind: "help"; examples: string[] }
  /** ambiguous input: pick one. */
  | { kind: "candidates"; field: string; candidates: Candidate[] };

/** The API's answer: `op` is the operation that ran (or was understood), `ok` whether it succeeded. */
export interface AssistantResponse {
  /** The operation; `clarify` when nothing ran (ambiguous or unknown input); `suggest` for the per-ticket assistant. */
  op: AssistantOpName | "clarify" | "suggest";
  ok: boolean;
  data: AssistantData | null;
  /** One or two sentences for people ("Created T-12 (Hardware, P2)."). */
  message: string;
  /** The conversation this exchange was stored in (continue it by sending it back). */
  conversationId: string;
}

/** What the grammar or the LLM made of a command. */
export type ParseResult =
  | { kind: "op"; op: AssistantOp }
  /** Ambiguous: nothing runs; `candidates` are commands the caller can pick from. */
  | { kind: "clarify"; message: string; candidates?: Candidate[] }
  /** Not understood: nothing runs; the answer lists what the assistant can do. */
  | { kind: "unknown"; message: string };

/** What the grammar knows about the desk (reference data) and the caller's context. */
export interface GrammarContext {
  /** "Now" for relative dates ("this week", "today", "since monday"). */
  now: Date;
  /** IANA zone in which days and weeks start (weeks start Monday). */
  timeZone: string;
  /** The ticket the caller is looking at ("take it", "close this"). */
  ticketKey?: string;
  categories: readonly { slug: string; name: string }[];
  teams: readonly { slug: string; name: string }[];
}

/** How an answer was produced, stored with the chat message. */
export interface Provenance {
  /** `grammar`, `templates`, or the LLM provider (openai, azure, groq, openai-compatible). */
  provider: string;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  /** Set when the LLM failed and the grammar answered, or the LLM's answer was refused (stored with the message). */
  fallbackReason?: string | null;
}

/** A parse plus how it was produced. */
export interface Interpretation {
  result: ParseResult;
  provenance: Provenance;
  /** Set when the LLM failed and the grammar answered instead (timeout, invalid tool call…). */
  fallbackReason?: string;
}
