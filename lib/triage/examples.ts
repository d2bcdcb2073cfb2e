import type { LocalCategoryModel } from "./local/model";
import type { ExampleSource, LabelledExample } from "./llm-classifier";

/**
 * Few-shot examples for LLM prompts: the labelled tickets nearest to a new one, by cosine
 * similarity of the local model's embeddings, brute force over an in-memory matrix
 * (128 floats per example; 30,000 examples ≈ 15 MB, a few ms per query).
 */
export class EmbeddingExampleSource implements ExampleSource {
  private readonly vecs: Float32Array;
  private readonly dim: number;

  constructor(
    private readonly model: LocalCategoryModel,
    private readonly examples: readonly LabelledExample[],
  ) {
    this.dim = model.embedder.dim;
    this.vecs = new Float32Array(examples.length * this.dim);
    examples.forEach((e, i) => this.vecs.set(model.embed(e.text), i * this.dim));
  }

  get size(): number {
    return this.examples.length;
  }

  nearest(normalizedText: string, k: number): LabelledExample[] {
    const q = this.model.embed(normalizedText);
    const best: { i: number; s: number }[] = [];
    for (let i = 0; i < this.examples.length; i++) {
      let s = 0;
      const o = i * this.dim;
      for (let j = 0; j < this.dim; j++) s += q[j] * this.vecs[o + j];
      if (best.length < k || s > best[best.length - 1].s) {
        best.push({ i, s });
        best.sort((a, b) => b.s - a.s);
        if (best.length > k) best.pop();
      }
    }
    return best.filter((b) => b.s > 0).map((b) => this.examples[b.i]);
  }
}
