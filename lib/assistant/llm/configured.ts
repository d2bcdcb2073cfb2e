import "server-only";
import { env } from "@/lib/env";
import { createChatClient, type ChatClient } from "@/lib/llm/client";
import { llmConfig, type LlmConfig } from "@/lib/llm/config";

/**
 * The LLM the assistant uses (commands and per-ticket suggestions), or none: none configured
 * (lib/llm/config.ts), `TRIAGE_MODE=local` (which promises that no LLM is ever called), or the
 * variables are inconsistent — then `why` says what is wrong and the caller answers without one.
 */
export function configuredLlm(): { client: ChatClient; cfg: LlmConfig } | { client: null; why?: string } {
  const e = env();
  if (e.TRIAGE_MODE === "local") return { client: null };
  try {
    const cfg = llmConfig(e);
    return cfg ? { client: createChatClient(cfg), cfg } : { client: null };
  } catch (err) {
    return { client: null, why: `LLM misconfigured: ${(err as Error).message}`.slice(0, 200) };
  }
}
