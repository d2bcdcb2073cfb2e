import "server-only";
import { env, type Env } from "@/lib/env";

/**
 * LLM configuration from the environment. LLMs are optional: with no provider key the local
 * model triages everything. Setting a key switches them on with no code change.
 *
 * | provider | selected by | key | model |
 * |---|---|---|---|
 * | openai | `OPENAI_API_KEY` | `OPENAI_API_KEY` | `LLM_MODEL` (default gpt-4o-mini) |
 * | azure | `AZURE_OPENAI_ENDPOINT` | `AZURE_OPENAI_API_KEY` | `AZURE_OPENAI_DEPLOYMENT` |
 * | groq | `GROQ_API_KEY` | `GROQ_API_KEY` | `LLM_MODEL` (default llama-3.1-8b-instant) |
 * | openai-compatible (Ollama, vLLM, Gemini's OpenAI endpoint…) | `LLM_BASE_URL` | `LLM_API_KEY` (optional) | `LLM_MODEL` (required) |
 *
 * `LLM_PROVIDER` forces one when several are set. `LLM_BASE_URL` also overrides the OpenAI or
 * Groq endpoint (proxies, gateways).
 */

/** The providers LLM_PROVIDER accepts (validated in lib/env.ts). */
export type LlmProviderName = NonNullable<Env["LLM_PROVIDER"]>;

export interface LlmConfig {
  provider: LlmProviderName;
  apiKey: string;
  baseURL: string | undefined;
  model: string;
  azure: { endpoint: string; deployment: string; apiVersion: string } | null;
  /** Whole-classification deadline in ms, retries included. */
  timeoutMs: number;
  /** Retries on 408/409/429/5xx and connection errors (the SDK's backoff honours Retry-After). */
  maxRetries: number;
  /** `json_schema` (strict structured output) or `json_object` (JSON mode; the schema goes in the prompt). */
  responseFormat: "json_schema" | "json_object";
  /** Nearest labelled tickets sent as examples. */
  fewShotK: number;
  /** USD per 1M tokens, when set by env (otherwise the price table). */
  price: { inputPerMTok: number; outputPerMTok: number } | null;
}

/**
 * The configured LLM, or null when none is configured. The variables are validated by lib/env.ts
 * (documented in .env.example).
 * @param e the parsed environment (default: env()).
 * @throws Error when the variables are inconsistent (e.g. azure without a deployment).
 */
export function llmConfig(e: Env = env()): LlmConfig | null {
  const provider: LlmProviderName | undefined =
    e.LLM_PROVIDER ??
    (e.AZURE_OPENAI_ENDPOINT ? "azure" : e.GROQ_API_KEY ? "groq" : e.OPENAI_API_KEY ? "openai" : e.LLM_BASE_URL ? "openai-compatible" : undefined);
  if (!provider) return null;
  const common = {
    timeoutMs: e.LLM_TIMEOUT_MS,
    maxRetries: e.LLM_MAX_RETRIES,
    fewShotK: e.LLM_FEWSHOT_K,
    price:
      e.LLM_PRICE_INPUT_PER_MTOK !== undefined || e.LLM_PRICE_OUTPUT_PER_MTOK !== undefined
        ? { inputPerMTok: e.LLM_PRICE_INPUT_PER_MTOK ?? 0, outputPerMTok: e.LLM_PRICE_OUTPUT_PER_MTOK ?? 0 }
        : null,
  };
  switch (provider) {
    case "openai": {
      const apiKey = e.OPENAI_API_KEY ?? e.LLM_API_KEY;
      if (!apiKey) throw new Error("LLM_PROVIDER=openai needs OPENAI_API_KEY");
      return { ...common, provider, apiKey, baseURL: e.LLM_BASE_URL, model: e.LLM_MODEL ?? "gpt-4o-mini", azure: null, responseFormat: e.LLM_RESPONSE_FORMAT ?? "json_schema" };
    }
    case "groq": {
      const apiKey = e.GROQ_API_KEY ?? e.LLM_API_KEY;
      if (!apiKey) throw new Error("LLM_PROVIDER=groq needs GROQ_API_KEY");
      return { ...common, provider, apiKey, baseURL: e.LLM_BASE_URL, model: e.LLM_MODEL ?? "llama-3.1-8b-instant", azure: null, responseFormat: e.LLM_RESPONSE_FORMAT ?? "json_object" };
    }
    case "azure": {
      const apiKey = e.AZURE_OPENAI_API_KEY ?? e.LLM_API_KEY;
      if (!apiKey || !e.AZURE_OPENAI_ENDPOINT || !e.AZURE_OPENAI_DEPLOYMENT) {
        throw new Error("Azure OpenAI needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT");
      }
      return {
        ...common,
        provider,
        apiKey,
        baseURL: undefined,
        model: e.LLM_MODEL ?? e.AZURE_OPENAI_DEPLOYMENT,
        azure: { endpoint: e.AZURE_OPENAI_ENDPOINT, deployment: e.AZURE_OPENAI_DEPLOYMENT, apiVersion: e.AZURE_OPENAI_API_VERSION },
        responseFormat: e.LLM_RESPONSE_FORMAT ?? "json_schema",
      };
    }
    case "openai-compatible": {
      if (!e.LLM_BASE_URL || !e.LLM_MODEL) throw new Error("An OpenAI-compatible provider needs LLM_BASE_URL and LLM_MODEL");
      return { ...common, provider, apiKey: e.LLM_API_KEY ?? "not-needed", baseURL: e.LLM_BASE_URL, model: e.LLM_MODEL, azure: null, responseFormat: e.LLM_RESPONSE_FORMAT ?? "json_object" };
    }
  }
}
