import { DateTime } from "luxon";
import { AssistantOpSchema, WRITE_OPS, type AssistantOpName } from "@/lib/assistant/ops";
import type { GrammarContext, Interpretation, ParseResult } from "@/lib/assistant/types";
import type { ChatClient, ToolChatResult } from "@/lib/llm/client";
import { estimateCostUsd } from "@/lib/llm/prices";
import { withDeadline } from "@/lib/llm/structured";
import { maskForLlm, newEmailMask, unmaskEmails, type EmailMask } from "./mask";
import { ASSISTANT_TOOLS, CLARIFY_TOOL, ClarifyArgsSchema } from "./tools";

/** A turn of the conversation so far, oldest first. */
export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** Earlier turns sent with a command (the newest ones), and the characters kept of each. */
const MAX_HISTORY_TURNS = 8;
const MAX_TURN_CHARS = 1000;
/** Completion budget: one tool call with a short note or filter fits easily. */
const MAX_COMPLETION_TOKENS = 600;

/** What a refused tool call answers: nothing runs. */
export const REFUSED_MESSAGE = "I could not understand that request safely, so nothing was done. Rephrase it with the ticket key and what to change, or type help.";

const OP_NAMES: ReadonlySet<string> = new Set(AssistantOpSchema.options.map((o) => o.shape.op.value));

/**
 * The system prompt: who the model is, today's date and time in the desk's zone, the
 * categories and teams (slug and name), the ticket on screen, and the rules.
 */
export function buildAssistantSystemPrompt(ctx: GrammarContext): string {
  const now = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone });
  return [
    "You turn a service desk agent's command into exactly one call of one of the tools offered. You never answer in prose.",
    `Now: ${now.toFormat("cccc, yyyy-MM-dd HH:mm")} in time zone ${ctx.timeZone} (UTC offset ${now.toFormat("ZZ")}). Weeks start on Monday. Write date-times as ISO 8601 with offset, computed in this zone ("today" starts at ${now.startOf("day").toISO()}).`,
    ctx.ticketKey ? `The user is looking at ticket ${ctx.ticketKey}: "it", "this" and "this ticket" mean ${ctx.ticketKey}.` : "The user is not looking at a ticket.",
    "Categories (slug: name):",
    ...ctx.categories.map((c) => `- ${c.slug}: ${c.name}`),
    "Teams (slug: name):",
    ...ctx.teams.map((t) => `- ${t.slug}: ${t.name}`),
    "Rules:",
    "- Make exactly ONE tool call.",
    "- Never invent ticket keys: use only keys the user wrote (or the ticket on screen). If a key is needed and missing, call clarify.",
    "- Use only the category and team slugs listed above; if none fits or several could, call clarify.",
    "- When the request is ambiguous or you are unsure what the user wants changed, call clarify with a short question. Do not guess.",
    "- A change to more than one ticket is ONE bulk call with a filter, never several calls.",
    "- E-mail addresses appear as [EMAIL_1], [EMAIL_2], …: copy them into arguments exactly as written.",
    "- Copy names, notes and replies from the user's words; do not add text of your own.",
  ].join("\n");
}

/** The messages sent: the newest earlier turns (clipped), then the command, all masked. */
function chatMessages(text: string, history: readonly ChatTurn[], mask: EmailMask): ChatTurn[] {
  const clip = (s: string) => (s.length > MAX_TURN_CHARS ? `${s.slice(0, MAX_TURN_CHARS)}…` : s);
  return [
    ...history.slice(-MAX_HISTORY_TURNS).map((m) => ({ role: m.role, content: maskForLlm(clip(m.content), mask) })),
    { role: "user" as const, content: maskForLlm(text, mask) },
  ];
}

const refused = (why: string): ParseResult & { why: string } => ({ kind: "unknown", message: REFUSED_MESSAGE, why });

/** Ticket numbers the user mentioned: in the command, the history, or the ticket on screen. */
function mentionedNumbers(text: string, history: readonly ChatTurn[], ticketKey: string | undefined): Set<string> {
  const all = [text, ...history.map((m) => m.content), ticketKey ?? ""].join("\n");
  return new Set([...all.matchAll(/(?<![\w.])(?:T-|#)?([1-9]\d{0,15})\b/gi)].map((m) => m[1]));
}

/**
 * The tool calls of an answer as a parse result. Refused (kind unknown, nothing runs) when the
 * answer has no tool call, more than one write call, an unknown tool, arguments that are not a
 * JSON object, or arguments that fail the operation's schema; a key the user never mentioned
 * is a clarify. Only the first call is used.
 */
export function parseToolCalls(r: ToolChatResult, text: string, ctx: GrammarContext & { history?: readonly ChatTurn[] }, mask: EmailMask): ParseResult & { why?: string } {
  const [first] = r.toolCalls;
  if (!first) return refused(r.content.trim() ? "no tool call (plain text answer)" : "no tool call");
  const writes = r.toolCalls.filter((c) => WRITE_OPS.has(c.name as AssistantOpName));
  if (writes.length > 1) return refused(`${writes.length} write calls (${writes.map((c) => c.name).join(", ")})`);
  if (first.name !== CLARIFY_TOOL && !OP_NAMES.has(first.name)) return refused(`unknown tool ${JSON.stringify(first.name.slice(0, 64))}`);
  let raw: unknown;
  try {
    raw = JSON.parse(first.arguments.trim() || "{}");
  } catch {
    return refused(`${first.name}: arguments are not JSON`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return refused(`${first.name}: arguments are not an object`);
  const args = unmaskEmails(raw, mask) as Record<string, unknown>;
  if (first.name === CLARIFY_TOOL) {
    const c = ClarifyArgsSchema.safeParse(args);
    return c.success ? { kind: "clarify", message: c.data.message, ...(c.data.candidates?.length ? { candidates: c.data.candidates } : {}) } : refused("clarify: arguments fail the schema");
  }
  if ("op" in args && args.op !== first.name) return refused(`${first.name}: arguments name another op`);
  const parsed = AssistantOpSchema.safeParse({ ...args, op: first.name });
  if (!parsed.success) return refused(`${first.name}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`.slice(0, 300));
  const op = parsed.data;
  if ("key" in op && !mentionedNumbers(text, ctx.history ?? [], ctx.ticketKey).has(op.key.slice(2))) {
    return { kind: "clarify", message: `Which ticket do you mean? Give its key (e.g. ${ctx.ticketKey ?? "T-12"}).`, why: `${op.key} was not mentioned` };
  }
  return { kind: "op", op };
}

/**
 * Interpret a command with an LLM through tool calling: the system prompt of
 * {@link buildAssistantSystemPrompt}, the newest turns of `ctx.history` and the command
 * (e-mails numbered, the rest redacted: lib/assistant/llm/mask.ts), the tools of
 * lib/assistant/llm/tools.ts, temperature 0. The first tool call becomes the result; a
 * malformed answer (see {@link parseToolCalls}) is refused — `{kind: "unknown"}`, never a partly
 * valid operation — and `fallbackReason` says why (nothing fell back: the LLM answered).
 * Provenance: the client's provider, the reported model and tokens, the estimated cost (USD,
 * `opts.price` per 1M tokens or lib/llm/prices.ts) and the latency in ms.
 * @param opts.timeoutMs deadline for the call in ms, the SDK's retries included.
 * @throws LlmError (lib/llm/structured.ts) on timeout, HTTP errors (after retries) and connection failures.
 */
export async function interpretWithLlm(
  client: ChatClient,
  text: string,
  ctx: GrammarContext & { history?: readonly ChatTurn[] },
  opts: { timeoutMs: number; price?: { inputPerMTok: number; outputPerMTok: number } | null },
): Promise<Interpretation> {
  const mask = newEmailMask();
  const t0 = performance.now();
  const r = await withDeadline(opts.timeoutMs, (signal) =>
    client.completeTools(
      { system: buildAssistantSystemPrompt(ctx), messages: chatMessages(text, ctx.history ?? [], mask), tools: [...ASSISTANT_TOOLS], maxTokens: MAX_COMPLETION_TOKENS },
      signal,
    ),
  );
  const latencyMs = performance.now() - t0;
  const { why, ...result } = parseToolCalls(r, text, ctx, mask);
  const model = r.model || client.model;
  return {
    result: result as ParseResult,
    provenance: {
      provider: client.provider,
      model,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      costUsd: estimateCostUsd(model, r.promptTokens, r.completionTokens, opts.price ?? null),
      latencyMs,
    },
    ...(why ? { fallbackReason: `${client.provider}:refused: ${why}` } : {}),
  };
}
