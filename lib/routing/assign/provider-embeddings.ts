import "server-only";
import OpenAI from "openai";
import { env } from "@/lib/env";
import { llmConfig } from "@/lib/llm/config";
import { redact } from "@/lib/llm/redact";

/**
 * The LLM provider's embeddings for assignee matching, when LLM_EMBEDDING_MODEL is set and the
 * provider is OpenAI or an OpenAI-compatible server (`POST {base}/embeddings`, floats). One
 * request per ranking: the redacted ticket text plus the profile texts not yet cached (profiles
 * are cached per process by model and text, so a team's profiles are embedded once). Nothing is
 * sent with TRIAGE_MODE=local. Never throws: a failure is reported and ranking falls back to the
 * local model's embeddings.
 */
export type ProviderEmbeddingOutcome =
  | { status: "used"; model: string }
  | { status: "failed"; model: string; reason: string }
  | { status: "skipped"; reason: string };

const MAX_CACHED = 5000;
const globalForCache = globalThis as unknown as { __switchboardProfileEmbeddings?: Map<string, Float32Array> };
const cache = () => (globalForCache.__switchboardProfileEmbeddings ??= new Map());

function unit(v: readonly number[]): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * s);
}

function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Cosine similarity (−1…1) of the ticket text to each profile text by the provider's embeddings.
 * @param profiles key → profile text (key: e.g. the employee id).
 * @returns the similarities by key when used, else the outcome only.
 */
export async function providerSimilarities(
  ticketText: string,
  profiles: ReadonlyMap<string, string>,
): Promise<{ outcome: ProviderEmbeddingOutcome; sims: Map<string, number> | null }> {
  const e = env();
  const model = e.LLM_EMBEDDING_MODEL;
  if (!model) return { outcome: { status: "skipped", reason: "LLM_EMBEDDING_MODEL not set" }, sims: null };
  if (e.TRIAGE_MODE === "local") return { outcome: { status: "skipped", reason: "TRIAGE_MODE=local" }, sims: null };
  let cfg: ReturnType<typeof llmConfig>;
  try {
    cfg = llmConfig(e);
  } catch (err) {
    return { outcome: { status: "skipped", reason: `LLM misconfigured: ${(err as Error).message}`.slice(0, 200) }, sims: null };
  }
  if (!cfg) return { outcome: { status: "skipped", reason: "no LLM configured" }, sims: null };
  if (cfg.provider !== "openai" && cfg.provider !== "openai-compatible") {
    return { outcome: { status: "skipped", reason: `embeddings not supported for ${cfg.provider}` }, sims: null };
  }
  const c = cache();
  const keyOf = (text: string) => `${cfg.baseURL ?? ""}\n${model}\n${text}`;
  const missing = [...new Set(profiles.values())].filter((t) => !c.has(keyOf(t)));
  const input = [redact(ticketText).text.slice(0, 8000), ...missing];
  try {
    const client = new OpenAI({ apiKey: cfg.apiKey, baseURL: cfg.baseURL, maxRetries: cfg.maxRetries, timeout: cfg.timeoutMs });
    const r = await client.embeddings.create({ model, input, encoding_format: "float" }, { signal: AbortSignal.timeout(cfg.timeoutMs) });
    const vectors = [...r.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    if (vectors.length !== input.length || vectors.some((v) => !Array.isArray(v) || v.length === 0 || v.length !== vectors[0].length)) {
      throw new Error(`expected ${input.length} vectors of one length, got ${vectors.length}`);
    }
    if (c.size + missing.length > MAX_CACHED) c.clear();
    missing.forEach((t, i) => c.set(keyOf(t), unit(vectors[i + 1])));
    const q = unit(vectors[0]);
    const sims = new Map<string, number>();
    for (const [k, text] of profiles) {
      const v = c.get(keyOf(text));
      sims.set(k, v ? cosine(q, v) : 0);
    }
    return { outcome: { status: "used", model }, sims };
  } catch (err) {
    const status = (err as { status?: number }).status;
    const reason = `${status ? `HTTP ${status}: ` : ""}${(err as Error).message}`.slice(0, 300);
    return { outcome: { status: "failed", model, reason }, sims: null };
  }
}

/** Forget cached profile embeddings (tests). */
export function resetProviderEmbeddingCache(): void {
  globalForCache.__switchboardProfileEmbeddings = undefined;
}
