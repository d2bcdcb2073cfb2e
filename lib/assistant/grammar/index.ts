import { AssistantOpSchema, type AssistantOp } from "../ops";
import type { GrammarContext, ParseResult } from "../types";
import { ASSISTANT_EXAMPLES } from "./examples";
import { parseBulk, parseCreateCategory, parseList, parseStats } from "./query-ops";
import { cleanCommand } from "./text";
import { parseAssign, parseComment, parseCreate, parseResolve, parseShow, parseUpdate } from "./ticket-ops";

/*
 * The assistant's deterministic command grammar (no LLM). parseCommand turns a typed command
 * into a typed operation (lib/assistant/ops.ts), a question back (clarify), or "unknown".
 * Every operation it returns has passed AssistantOpSchema; nothing that changes data is ever
 * produced on a guess: ambiguous words, several tickets, a missing ticket or value → clarify.
 *
 * Commands (case-insensitive; "please", "can you" and a trailing "?" are ignored):
 * - help: "help", "?", "what can you do", "commands", "examples".
 * - create: "create|open|new|raise|file|log|submit ticket [for|about|:] <title>[, <priority>][, <category or team>]
 *   [for <e-mail>]"; a priority may come before "ticket" ("new P1 ticket: mail server down") or
 *   trail the title ("… (P1)", "… high priority"). The title keeps the words as typed.
 * - create_category: "create category <Name> for [team] <team slug or name>".
 * - update: "update|set|change|mark|move T-12 [to|as] <status|priority|team X|category X|category
 *   or team name>[, <internal note>]", "set T-3 priority to low", "change category of T-8 to
 *   storage", "T-5 to waiting on vendor", "reopen T-4". A change to resolved/closed only is a resolve.
 * - assign: "assign T-12 to <me|nobody|name|e-mail>", "take T-12", "take it", "assign to me", "unassign T-12".
 * - comment: "note"/"internal"/"private" = internal note; "comment"/"reply"/"respond"/"answer"/
 *   "tell the requester" = public reply (a plain "comment" is public); "public note" is public.
 *   "note on T-12: …", "internal note T-12 …", "reply to T-12: …", "comment on T-12: …".
 * - resolve: "close T-7[, resolution]" (closed); "resolve|solve|fix T-7 [with|: resolution]",
 *   "mark T-7 as solved|fixed|done|resolved" (resolved).
 * - show: "show T-12", "what's T-12", "T-12", "open T-12".
 * - list: "[show|list|find|search] <filter words> tickets" (filter words: filter.ts; status,
 *   priority and SLA words: vocabulary.ts; dates: dates.ts); "sorted by due", "top 5".
 * - stats: "how many|count|number of <filter>" (metric tickets); "[sla] breaches <dates>" and
 *   "how many [sla] breaches …" (metric breaches, range in from/to).
 * - bulk: "<close|resolve|reopen|take|unassign> all <filter>", "<assign|set|mark|move> all
 *   <filter> to <value>"[, note]. The filter must narrow more than the default statuses.
 *
 * Ticket keys: "T-12", "t12", "T 12", "t_12" and "#12" all mean T-12. "it", "this", "this
 * ticket" mean GrammarContext.ticketKey (without one: clarify). Typos in status and priority
 * words are corrected (fuzzy.ts: Damerau–Levenshtein ≤ 1 for words of ≤ 5 letters, ≤ 2 longer).
 */

const HELP = /^(?:help|\?+|h|what can you do|what can i (?:do|say|ask|type)|commands|examples|usage|menu|how does this work|how do i use (?:this|you))$/i;

/** The answer for input the grammar does not understand: what the assistant can do. */
export function unknownMessage(detail?: string): string {
  return `${detail ? `${detail} ` : ""}I can create, show, update, assign, comment on and close tickets, list and count tickets, and change many at once. Try: ${ASSISTANT_EXAMPLES.slice(0, 5)
    .map((e) => `"${e}"`)
    .join(", ")}.`;
}

const PARSERS = [parseCreateCategory, parseCreate, parseBulk, parseComment, parseAssign, parseResolve, parseUpdate, parseShow, parseStats, parseList];

/**
 * Gives the split-off end of the command ("?", "!", ", thanks") back to the free text that ends
 * it: a reply "can you send a screenshot?" keeps its question mark.
 */
function withTail(o: AssistantOp, command: string, tail: string): AssistantOp {
  if (!tail.trim()) return o;
  const field = o.op === "comment" ? "body" : o.op === "resolve" ? "resolution" : o.op === "update" ? "note" : null;
  if (field) {
    const value = (o as Record<string, unknown>)[field];
    if (typeof value === "string" && command.endsWith(value)) return { ...o, [field]: value + tail.trimEnd() } as AssistantOp;
  }
  if (o.op === "bulk" && o.action.note && command.endsWith(o.action.note)) return { ...o, action: { ...o.action, note: o.action.note + tail.trimEnd() } };
  return o;
}

/**
 * Parses one command. Pure and total: never throws, needs no database. `ctx.now` and
 * `ctx.timeZone` fix relative dates, `ctx.ticketKey` is the ticket "it"/"this" refers to,
 * `ctx.categories`/`ctx.teams` are the reference data category and team words match.
 * Returns `{kind:"op"}` (validated and normalized by AssistantOpSchema), `{kind:"clarify"}` or `{kind:"unknown"}`.
 */
export function parseCommand(text: string, ctx: GrammarContext): ParseResult {
  try {
    const { command: s, tail } = cleanCommand(String(text ?? ""));
    if (!s) return { kind: "unknown", message: unknownMessage("Type a command.") };
    if (HELP.test(s)) return { kind: "op", op: { op: "help" } };
    for (const parse of PARSERS) {
      const r = parse(s, ctx);
      if (!r) continue;
      if (r.kind === "unknown") return { kind: "unknown", message: unknownMessage(r.message) };
      if (r.kind !== "op") return r;
      const checked = AssistantOpSchema.safeParse(withTail(r.op, s, tail));
      if (checked.success) return { kind: "op", op: checked.data };
      const issue = checked.error.issues[0];
      return { kind: "clarify", message: `I understood "${r.op.op}" but ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}.` };
    }
    return { kind: "unknown", message: unknownMessage(`I did not understand "${s.length > 80 ? `${s.slice(0, 77)}…` : s}".`) };
  } catch {
    return { kind: "unknown", message: unknownMessage() };
  }
}

export { ASSISTANT_EXAMPLES } from "./examples";
