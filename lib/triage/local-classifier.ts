import crypto from "node:crypto";
import fs from "node:fs";
import { defaultModelPath, LocalCategoryModel } from "./local/model";
import type { CategoryChoice, CategoryPrediction, Classifier, TriageInput } from "./types";

interface LoadedModel {
  model: LocalCategoryModel;
  /** `local-ensemble@<sha256 prefix of the artifact>`: recorded on every decision. */
  version: string;
}

const globalForModel = globalThis as unknown as { __switchboardLocalModel?: LoadedModel };

function load(): LoadedModel {
  const path = defaultModelPath();
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read the triage model at ${path} (run \`npm run train\`): ${(err as Error).message}`);
  }
  const model = LocalCategoryModel.deserialize(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const hash = crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  return { model, version: `local-ensemble@${hash}` };
}

/** The process-wide local category model, loaded once from the shipped artifact (~0.15 s). */
export function localModel(): LocalCategoryModel {
  globalForModel.__switchboardLocalModel ??= load();
  return globalForModel.__switchboardLocalModel.model;
}

/** Version string of the loaded model (artifact hash). */
export function localModelVersion(): string {
  localModel();
  return globalForModel.__switchboardLocalModel!.version;
}

/**
 * The always-available classifier: the local statistical model trained on labelled tickets
 * plus the agents' corrections it has learned (see docs/EVALUATION.md). In-process, about a
 * millisecond, no network.
 */
export class LocalClassifier implements Classifier {
  readonly provider = "local";
  get model(): string {
    return localModelVersion();
  }

  async classify(input: TriageInput, allowed: readonly CategoryChoice[]): Promise<CategoryPrediction> {
    return this.classifySync(input.normalized, allowed.map((c) => c.slug));
  }

  /** Synchronous variant for hot paths. Labels outside `allowed` (inactive categories) are dropped and the rest renormalised. */
  classifySync(normalizedText: string, allowed: readonly string[]): CategoryPrediction {
    const t0 = performance.now();
    const out = localModel().predict(normalizedText);
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
