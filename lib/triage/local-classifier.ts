import { loadLocalModel, type LocalCategoryModel } from "./local/model";
import type { CategoryChoice, CategoryPrediction, Classifier, TriageInput } from "./types";

const globalForModel = globalThis as unknown as { __switchboardLocalModel?: LocalCategoryModel };

/** The process-wide local category model, loaded once from the shipped artifact. */
export function localModel(): LocalCategoryModel {
  globalForModel.__switchboardLocalModel ??= loadLocalModel();
  return globalForModel.__switchboardLocalModel;
}

/**
 * The always-available classifier: the local statistical model trained on labelled tickets
 * (see docs/EVALUATION.md). Runs in-process in about a millisecond, no network.
 */
export class LocalClassifier implements Classifier {
  readonly provider = "local";
  get model(): string {
    return localModel().version;
  }

  async classify(input: TriageInput, allowed: readonly CategoryChoice[]): Promise<CategoryPrediction> {
    return this.classifySync(input.normalized, allowed.map((c) => c.slug));
  }

  /** Synchronous variant for hot paths. Labels outside `allowed` (inactive categories) are dropped and the rest renormalised. */
  classifySync(text: string, allowed: readonly string[]): CategoryPrediction {
    const t0 = performance.now();
    const out = localModel().predict(text);
    const allowedSet = new Set(allowed);
    let scores = out.scores.filter((s) => allowedSet.has(s.label));
    if (scores.length === 0) scores = out.scores;
    const total = scores.reduce((a, s) => a + s.p, 0) || 1;
    const ranked = scores.map((s) => ({ category: s.label, confidence: s.p / total }));
    return {
      category: ranked[0].category,
      confidence: ranked[0].confidence,
      alternatives: ranked.slice(1, 4),
      provider: this.provider,
      model: this.model,
      latencyMs: performance.now() - t0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
      fallbackReason: null,
    };
  }
}
