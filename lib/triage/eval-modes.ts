import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { SEED_CATEGORIES } from "@/db/seed";
import { createChatClient } from "@/lib/llm/client";
import { llmConfig } from "@/lib/llm/config";
import { LlmError } from "@/lib/llm/structured";
import { EmbeddingExampleSource } from "./examples";
import { LlmClassifier } from "./llm-classifier";
import type { EvalClassifier } from "./local/evaluate";
import { datasetDir } from "./local/dataset";
import { toSlug } from "./local/labels";
import type { LocalCategoryModel } from "./local/model";
import { normalizeTicketText } from "./local/normalize";
import type { CategoryChoice } from "./types";

/**
 * `npm run eval -- --mode llm|hybrid`: the same LLM classifier the app uses (redaction, strict
 * JSON, deadline, retries, local fallback), configured by the same environment variables.
 * Few-shot examples come from the TRAINING split (`DATASET_DIR/train.csv`), never from the
 * evaluated file. hybrid asks the LLM only when the local confidence is under `threshold`.
 * @throws Error when no LLM is configured.
 */
export function createLlmModeClassifier(
  mode: "llm" | "hybrid",
  model: LocalCategoryModel,
  opts: { threshold: number; categories?: CategoryChoice[]; examplesCsv?: string | null; maxExamples?: number },
): EvalClassifier {
  const cfg = llmConfig();
  if (!cfg) {
    throw new Error(`--mode ${mode} needs an LLM: set OPENAI_API_KEY, AZURE_OPENAI_*, GROQ_API_KEY or LLM_BASE_URL + LLM_MODEL`);
  }
  const categories = opts.categories ?? SEED_CATEGORIES.map((c) => ({ slug: c.slug, name: c.name, description: c.description }));
  let source: EmbeddingExampleSource | null = null;
  const csv = opts.examplesCsv === undefined ? path.resolve(datasetDir(), "train.csv") : opts.examplesCsv;
  if (csv && cfg.fewShotK > 0 && fs.existsSync(csv)) {
    const rows = parse(fs.readFileSync(csv), { columns: true, skip_empty_lines: true }) as { text: string; label: string }[];
    source = new EmbeddingExampleSource(
      model,
      rows.slice(0, opts.maxExamples ?? rows.length).map((r) => ({ text: r.text, category: toSlug(r.label) })),
    );
  }
  const llm = new LlmClassifier(createChatClient(cfg), cfg, source);
  return async (input) => {
    const normalized = normalizeTicketText(input);
    const local = model.predict(normalized);
    if (mode === "hybrid" && local.confidence >= opts.threshold) {
      return { label: local.label, confidence: local.confidence, tokens: 0, llmCalls: 0 };
    }
    try {
      const r = await llm.classify({ title: input.title, description: input.description, normalized }, categories);
      return { label: r.category, confidence: r.confidence, tokens: r.promptTokens + r.completionTokens, llmCalls: 1 };
    } catch (err) {
      // an unusable answer (invalid JSON, off-schema) was still billed: count its tokens
      const spent = err instanceof LlmError ? err.usage.promptTokens + err.usage.completionTokens : 0;
      return { label: local.label, confidence: local.confidence, tokens: spent, llmCalls: 1 };
    }
  };
}
