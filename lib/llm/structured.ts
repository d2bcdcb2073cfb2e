import type { z } from "zod";
import type { ChatClient, ChatRequest } from "./client";

/** Why an LLM call did not produce a usable answer; stored as the decision's fallback reason. */
export type LlmFailure = "timeout" | "rate_limited" | "server_error" | "client_error" | "connection" | "invalid_json" | "schema_mismatch" | "empty";

export class LlmError extends Error {
  readonly reason: LlmFailure;
  readonly status: number | null;
  constructor(reason: LlmFailure, message: string, status: number | null = null) {
    super(message);
    this.name = "LlmError";
    this.reason = reason;
    this.status = status;
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
 * One chat completion whose answer must be a JSON object matching `schema` (zod), within
 * `timeoutMs` (ms, retries included).
 * @throws LlmError with reason timeout | rate_limited | server_error | client_error | connection
 *   | invalid_json | schema_mismatch | empty.
 */
export async function completeJson<T>(client: ChatClient, req: ChatRequest, schema: z.ZodType<T>, timeoutMs: number): Promise<JsonCompletion<T>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const t0 = performance.now();
  try {
    const deadline = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(new LlmError("timeout", `No answer within ${timeoutMs} ms`)), { once: true });
    });
    const r = await Promise.race([client.complete(req, controller.signal), deadline]);
    if (!r.content.trim()) throw new LlmError("empty", "The LLM answered with no content");
    let raw: unknown;
    try {
      raw = parseJsonObject(r.content);
    } catch {
      throw new LlmError("invalid_json", `The LLM answer is not JSON: ${r.content.slice(0, 120)}`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new LlmError("schema_mismatch", `The LLM answer does not match the schema: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    }
    return { data: parsed.data, promptTokens: r.promptTokens, completionTokens: r.completionTokens, latencyMs: performance.now() - t0, model: r.model };
  } catch (err) {
    throw classify(err, timedOut);
  } finally {
    clearTimeout(timer);
  }
}
