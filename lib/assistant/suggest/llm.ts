import "server-only";
import { z } from "zod";
import type { ChatClient } from "@/lib/llm/client";
import { redact } from "@/lib/llm/redact";
import { completeJson, type JsonCompletion } from "@/lib/llm/structured";
import type { CommentDTO } from "@/lib/tickets/get-ticket";
import type { TicketDTO } from "@/lib/tickets/dto";
import type { DuplicateCandidate } from "./retrieve";
import { clipText } from "./templates";
import type { SimilarResolvedTicket, SuggestedActionKind } from "./types";

/** What the LLM is given: the ticket, its thread, and the retrieved tickets. */
export interface SuggestContext {
  ticket: TicketDTO;
  requesterName: string;
  /** Public replies and internal notes, oldest first. */
  comments: readonly CommentDTO[];
  similar: readonly SimilarResolvedTicket[];
  duplicates: readonly DuplicateCandidate[];
  /** The agent's name for the sign-off, or null. */
  agentName: string | null;
}

const KINDS = ["ask_detail", "escalate", "merge_duplicate", "resolve_known_fix", "assign", "set_priority"] as const satisfies readonly SuggestedActionKind[];

/** Thread entries sent (the newest), and characters of each text. */
const MAX_COMMENTS = 20;
const MAX_COMMENT_CHARS = 800;
const MAX_DESCRIPTION_CHARS = 3000;
const MAX_RESOLUTION_CHARS = 800;
const MAX_COMPLETION_TOKENS = 700;

/** The LLM's answer, checked by zod (ticketKey null when the action is about no other ticket). */
export const SuggestAnswerSchema = z.object({
  reply: z.string().max(4000),
  citations: z.array(z.string().max(24)).max(20),
  actions: z
    .array(
      z.object({
        kind: z.enum(KINDS),
        label: z.string().min(1).max(120),
        detail: z.string().max(600),
        ticketKey: z.string().max(24).nullable().optional(),
      }),
    )
    .max(8),
});
export type SuggestAnswer = z.infer<typeof SuggestAnswerSchema>;

const ANSWER_JSON_SCHEMA = {
  type: "object",
  properties: {
    reply: { type: "string" },
    citations: { type: "array", items: { type: "string" } },
    actions: {
      type: "array",
      items: {
        type: "object",
        properties: {
          kind: { type: "string", enum: [...KINDS] },
          label: { type: "string" },
          detail: { type: "string" },
          ticketKey: { type: ["string", "null"] },
        },
        required: ["kind", "label", "detail", "ticketKey"],
        additionalProperties: false,
      },
    },
  },
  required: ["reply", "citations", "actions"],
  additionalProperties: false,
} as const;

export const SUGGEST_SYSTEM_PROMPT = [
  "You help an IT service desk agent answer one ticket. Use ONLY the ticket, its thread and the other tickets given below.",
  "1. reply: a short, polite plain-text reply to the requester (no markdown), greeting them by name and signed by the agent.",
  "   If a resolved ticket clearly describes the same problem, propose its fix and mention its key in brackets, e.g. (T-4).",
  "   Otherwise ask for the specific detail that is missing. Internal notes are for agents only: never quote them to the requester.",
  "2. citations: the keys of every given ticket your reply relies on. Never cite or mention a ticket that is not given below.",
  "3. actions: next steps for the agent, kinds: ask_detail, escalate, merge_duplicate (with ticketKey of the open duplicate),",
  "   resolve_known_fix (with ticketKey of the resolved ticket), assign, set_priority. ticketKey is null when no other ticket is involved.",
  'Answer with JSON only: {"reply": "...", "citations": ["T-4"], "actions": [{"kind": "...", "label": "...", "detail": "...", "ticketKey": null}]}.',
].join("\n");

const safe = (s: string, n: number) => clipText(redact(s).text, n);

/** The user message: the ticket, its thread and the retrieved tickets as JSON, every text redacted (lib/llm/redact.ts). */
export function buildSuggestPrompt(ctx: SuggestContext): string {
  const t = ctx.ticket;
  return JSON.stringify(
    {
      ticket: {
        key: t.key,
        title: safe(t.title, 200),
        description: safe(t.description, MAX_DESCRIPTION_CHARS),
        category: t.category,
        priority: t.priority,
        status: t.status,
        sla: t.sla?.state ?? null,
        requesterName: redact(ctx.requesterName).text,
        agentName: ctx.agentName,
      },
      thread: ctx.comments.slice(-MAX_COMMENTS).map((c) => ({
        from: c.authorRole === "requester" ? "requester" : "agent",
        visibility: c.internal ? "internal note (agents only)" : "public",
        at: c.createdAt,
        text: safe(c.body, MAX_COMMENT_CHARS),
      })),
      resolvedSimilarTickets: ctx.similar.map((s) => ({
        key: s.key,
        title: safe(s.title, 200),
        similarity: s.similarity,
        resolution: s.resolution ? safe(s.resolution, MAX_RESOLUTION_CHARS) : null,
      })),
      openPossibleDuplicates: ctx.duplicates.map((d) => ({ key: d.key, title: safe(d.title, 200), similarity: d.similarity, sameRequester: d.sameRequester })),
    },
    null,
    1,
  );
}

/**
 * One structured call for the suggestion.
 * @param timeoutMs whole call, retries included.
 * @throws LlmError (lib/llm/structured.ts).
 */
export function llmSuggest(client: ChatClient, ctx: SuggestContext, timeoutMs: number): Promise<JsonCompletion<SuggestAnswer>> {
  return completeJson(
    client,
    {
      system: SUGGEST_SYSTEM_PROMPT,
      user: buildSuggestPrompt(ctx),
      jsonSchema: { name: "ticket_suggestion", schema: ANSWER_JSON_SCHEMA as unknown as Record<string, unknown> },
      maxTokens: MAX_COMPLETION_TOKENS,
    },
    SuggestAnswerSchema,
    timeoutMs,
  );
}
