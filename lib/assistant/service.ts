import "server-only";
import type { Db } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError, type ErrorBody } from "@/lib/http/errors";
import { checkIssuedConfirmation } from "./confirm";
import { executeConfirmed, executeOp, helpFor } from "./execute";
import { recentMessages, recordExchange, ticketIdByKey } from "./history";
import { buildGrammarContext, interpretCommand } from "./interpret";
import type { AssistantRequest } from "./ops";
import type { AssistantData, AssistantResponse, Candidate, Provenance } from "./types";

/*
 * POST /api/assistant end to end: interpret a command (grammar, or the LLM when configured),
 * run the operation with the caller's permissions, store the exchange, answer
 * {op, ok, data, message, conversationId}. Route handler: app/api/assistant/route.ts.
 */

/** How many earlier messages of a continued conversation the interpreter sees. */
export const HISTORY_CONTEXT_MESSAGES = 6;

/** The answer's body: the response, plus the error object when an operation failed. */
export type AssistantResult = AssistantResponse & { error?: ErrorBody["error"] };

/** LLM client passed through to interpretCommand (tests inject the loopback fake). */
type InterpretOptions = NonNullable<Parameters<typeof interpretCommand>[3]>;

/** Options of {@link runAssistant}. */
export interface RunAssistantOptions {
  client?: InterpretOptions["client"];
  /** "Now" for relative dates and the executor (default the clock). */
  now?: Date;
}

type Answer = Omit<AssistantResponse, "conversationId"> & { error?: ErrorBody["error"]; ticketId?: number | null };

const NOTHING_INTERPRETED: Provenance = { provider: "confirm", model: null, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 0 };

/** `details.candidates` of an executor error ("maria" matches two agents) as answer data. */
function candidatesOf(details: unknown): AssistantData | null {
  if (!details || typeof details !== "object") return null;
  const d = details as { candidates?: unknown; field?: unknown };
  if (!Array.isArray(d.candidates) || d.candidates.length === 0) return null;
  return { kind: "candidates", field: typeof d.field === "string" ? d.field : "input", candidates: d.candidates as Candidate[] };
}

function failure(op: AssistantResponse["op"], err: ApiError): Answer {
  return {
    op,
    ok: false,
    data: candidatesOf(err.details),
    message: err.message,
    error: { code: err.code, message: err.message, details: err.details },
  };
}

/**
 * Run one assistant request for `principal`:
 * - `confirm` (a token from a bulk confirmation answer) → run the bulk operation it stands for;
 * - else interpret `text` (with the last {@link HISTORY_CONTEXT_MESSAGES} messages when
 *   `conversationId` continues a conversation, and `ticketKey` as "it"/"this") and run the
 *   operation. Ambiguous input → op `clarify`, unknown input → op `help` with examples; both
 *   `ok: false`, HTTP 200 (nothing ran; it is an answer).
 * An ApiError from the executor becomes `ok: false` with its message, `data` = the candidates
 * from its details (if any), the `error` object, and the error's HTTP status (400/403/404/409/422).
 * Every answer, failures included, is stored (lib/assistant/history.ts) with the
 * interpretation's provenance, and carries `conversationId`.
 * @returns the HTTP status and body.
 * @throws ApiError 400 when `confirm` is not a token we issued (malformed or tampered; an
 *   expired token or another caller's is an answer, stored) and 404 when `conversationId` is not
 *   one of the caller's conversations: nothing runs, nothing is stored. Unexpected errors are
 *   stored as a failed answer, then rethrown (500).
 */
export async function runAssistant(
  db: Db,
  body: AssistantRequest,
  principal: Principal,
  opts: RunAssistantOptions = {},
): Promise<{ status: number; body: AssistantResult }> {
  const now = opts.now ?? new Date();
  // A token we never issued is a bad request, not a command: rejected before anything is stored.
  if (body.confirm) checkIssuedConfirmation(body.confirm);
  const history = body.conversationId ? await recentMessages(db, principal, body.conversationId, HISTORY_CONTEXT_MESSAGES) : [];
  const userText = body.confirm ? (body.text ?? "Confirm") : (body.text ?? "");
  let provenance = NOTHING_INTERPRETED;
  let op: AssistantResponse["op"] = body.confirm ? "bulk" : "help";
  let answer: Answer;
  let status = 200;
  try {
    if (body.confirm) {
      const t0 = performance.now();
      const r = await executeConfirmed(db, body.confirm, principal, { now });
      provenance = { ...NOTHING_INTERPRETED, latencyMs: Math.round(performance.now() - t0) };
      answer = r;
    } else {
      const ctx = await buildGrammarContext(db, { ticketKey: body.ticketKey, now });
      const interp = await interpretCommand(db, userText, ctx, {
        history: history.map((m) => ({ role: m.role, content: m.content })),
        client: opts.client,
      });
      provenance = { ...interp.provenance, fallbackReason: interp.fallbackReason ?? null };
      const parsed = interp.result;
      if (parsed.kind === "op") {
        op = parsed.op.op;
        answer = await executeOp(db, parsed.op, principal, { now });
      } else if (parsed.kind === "clarify") {
        op = "clarify";
        answer = {
          op,
          ok: false,
          data: parsed.candidates?.length ? { kind: "candidates", field: "input", candidates: parsed.candidates } : null,
          message: parsed.message,
        };
      } else {
        answer = { op: "help", ok: false, data: { kind: "help", examples: helpFor(principal) }, message: parsed.message };
      }
    }
  } catch (err) {
    if (!(err instanceof ApiError)) {
      const failed: Answer = { op, ok: false, data: null, message: "Something went wrong on our side; it has been logged" };
      await store(db, principal, body, userText, failed, provenance).catch(() => undefined);
      throw err;
    }
    answer = failure(op, err);
    status = err.status;
  }
  const { conversationId } = await store(db, principal, body, userText, answer, provenance);
  const { ticketId: _ticketId, error, ...response } = answer;
  return { status, body: { ...response, conversationId, ...(error ? { error } : {}) } };
}

async function store(db: Db, principal: Principal, body: AssistantRequest, userText: string, answer: Answer, provenance: Provenance) {
  const ticketId = answer.ticketId ?? (body.ticketKey ? await ticketIdByKey(db, body.ticketKey) : null);
  return recordExchange(db, {
    principal,
    conversationId: body.conversationId,
    ticketId,
    userText,
    response: { op: answer.op, ok: answer.ok, data: answer.data, message: answer.message },
    provenance,
  });
}
