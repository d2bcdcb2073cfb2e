import type { z } from "zod";
import type { ChatClient, ChatRequest } from "./client";

/** Why an LLM call did not produce a usable answer; stored as the decision's fallback reason. */
export type LlmFailure = "timeout" | "rate_limited" | "server_error" | "client_error" | "connection" | "invalid_json" | "schema_mismatch" | "empty";

/** Tokens a provider reported for one call (its usage block). */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

const NO_USAGE: LlmUsage = { promptTokens: 0, completionTokens: 0 };

/**
 * A failed LLM call. `usage` holds the tokens the provider billed when it did answer, but the
 * answer was unusable (`invalid_json`, `schema_mismatch`, `empty`); it is zero when no answer
 * came back (timeouts, HTTP errors, connection failures).
 */
export class LlmError extends Error {
  readonly reason: LlmFailure;
  readonly status: number | null;
  readonly usage: LlmUsage;
  constructor(reason: LlmFailure, message: string, status: number | null = null, usage: LlmUsage = NO_USAGE) {
    super(message);
    this.name = "LlmError";
    this.reason = reason;
    this.status = status;
    this.usage = usage;
  }
}

export interface JsonCompletion<T> {
  data: T;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  model: string;
}

/** Parse a JSON object out of a completion, tolerating a ```json fence around it. */
export function parseJsonObject(content: string): unknown {
  const trimmed = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  return JSON.parse(trimmed) as unknown;
}

function classify(err: unknown, timedOut: boolean): LlmError {
  if (err instanceof LlmError) return err;
  if (timedOut) return new LlmError("timeout", "The LLM did not answer in time");
  const e = err as { status?: number; name?: string; message?: string };
  const status = typeof e.status === "number" ? e.status : null;
  if (status === 429) return new LlmError("rate_limited", e.message ?? "rate limited", status);
  if (status !== null && status >= 500) return new LlmError("server_error", e.message ?? "server error", status);
  if (status !== null) return new LlmError("client_error", e.message ?? "client error", status);
  if (e.name?.includes("Timeout")) return new LlmError("timeout", e.message ?? "timeout");
  return new LlmError("connection", e.message ?? String(err));
}

/**
 * Run one provider call under a deadline of `timeoutMs` (ms, the SDK's retries included): the
 * call gets an AbortSignal that fires at the deadline.
 * @throws LlmError with reason timeout | rate_limited | server_error | client_error | connection
 *   (an LlmError thrown by `call` passes through unchanged).
 */
export async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const deadline = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(new LlmError("timeout", `No answer within ${timeoutMs} ms`)), { once: true });
    });
    return await Promise.race([call(controller.signal), deadline]);
  } catch (err) {
    throw classify(err, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One chat completion whose answer must be a JSON object matching `schema` (zod), within
 * `timeoutMs` (ms, retries included).
 * @throws LlmError with reason timeout | rate_limited | server_error | client_error | connection
 *   | invalid_json | schema_mismatch | empty; the last three carry the call's token `usage`.
 */
export async function completeJson<T>(client: ChatClient, req: ChatRequest, schema: z.ZodType<T>, timeoutMs: number): Promise<JsonCompletion<T>> {
  const t0 = performance.now();
  const r = await withDeadline(timeoutMs, (signal) => client.complete(req, signal));
  // From here on the provider has answered and billed the call: failures carry its usage.
  const usage: LlmUsage = { promptTokens: r.promptTokens, completionTokens: r.completionTokens };
  if (!r.content.trim()) throw new LlmError("empty", "The LLM answered with no content", null, usage);
  let raw: unknown;
  try {
    raw = parseJsonObject(r.content);
  } catch {
    throw new LlmError("invalid_json", `The LLM answer is not JSON: ${r.content.slice(0, 120)}`, null, usage);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => i.message).join("; ");
    throw new LlmError("schema_mismatch", `The LLM answer does not match the schema: ${issues}`, null, usage);
  }
  return { data: parsed.data, promptTokens: r.promptTokens, completionTokens: r.completionTokens, latencyMs: performance.now() - t0, model: r.model };
}
