/**
 * Price table for estimating the cost of LLM calls, in USD per 1,000,000 tokens (input, output),
 * from the providers' public price lists (2025). Unknown models cost 0 unless
 * LLM_PRICE_INPUT_PER_MTOK / LLM_PRICE_OUTPUT_PER_MTOK are set. Matching is by prefix, longest first.
 */
export const PRICES_USD_PER_MTOK: Record<string, { input: number; output: number }> = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5 },
  "llama-3.1-8b-instant": { input: 0.05, output: 0.08 },
  "llama-3.3-70b-versatile": { input: 0.59, output: 0.79 },
  "llama3-70b-8192": { input: 0.59, output: 0.79 },
  "llama3-8b-8192": { input: 0.05, output: 0.08 },
  "gemini-2.5-flash-lite": { input: 0.1, output: 0.4 },
  "gemini-2.5-flash": { input: 0.3, output: 2.5 },
};

/**
 * Estimated cost in USD of one call.
 * @param override per-1M-token prices from the environment, which win over the table.
 */
export function estimateCostUsd(
  model: string,
  promptTokens: number,
  completionTokens: number,
  override: { inputPerMTok: number; outputPerMTok: number } | null = null,
): number {
  let price = override ? { input: override.inputPerMTok, output: override.outputPerMTok } : undefined;
  if (!price) {
    const key = Object.keys(PRICES_USD_PER_MTOK)
      .filter((k) => model.toLowerCase().startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    price = key ? PRICES_USD_PER_MTOK[key] : { input: 0, output: 0 };
  }
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}
