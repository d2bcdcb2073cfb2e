import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadLocalModel } from "./model";
import { createClassifier, evaluateClassifier, formatReport, readEvalCsv } from "./evaluate";

const fixture = fileURLToPath(new URL("./fixtures/eval-sample.csv", import.meta.url));

describe("evaluation harness", () => {
  it("reads title,description,label CSVs and maps dataset names to slugs", () => {
    const ex = readEvalCsv(fixture);
    expect(ex).toHaveLength(16);
    expect(ex[0].label).toBe("hardware");
    expect(ex[2].label).toBe("access");
    expect(new Set(ex.map((e) => e.label)).size).toBe(8);
    expect(readEvalCsv(fixture, 3)).toHaveLength(3);
  });

  it("runs the local classifier end to end and reports every metric", async () => {
    const model = loadLocalModel();
    const classify = createClassifier("local", () => model);
    const report = await evaluateClassifier(readEvalCsv(fixture), classify);
    const s = report.summary;
    expect(Object.keys(s)).toEqual([
      "n", "accuracy", "macroF1", "ece", "p50Ms", "p99Ms", "llmCalls", "tokens", "reviewThreshold", "flaggedShare", "unflaggedAccuracy",
    ]);
    expect(s.n).toBe(16);
    expect(s.accuracy).toBeGreaterThanOrEqual(0.6); // raw, hand-written tickets
    expect(s.macroF1).toBeGreaterThan(0.4);
    expect(s.ece).toBeGreaterThanOrEqual(0);
    expect(s.ece).toBeLessThanOrEqual(1);
    expect(s.llmCalls).toBe(0);
    expect(s.tokens).toBe(0);
    expect(s.p99Ms).toBeGreaterThanOrEqual(s.p50Ms);
    expect(report.confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(16);
    expect(report.coverage.map((c) => c.coverage)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(formatReport(report)).toContain("confusion");
  });

  it("builds only the local mode (LLM modes live in lib/triage/eval-modes.ts)", () => {
    const never = () => {
      throw new Error("model should not be loaded");
    };
    expect(() => createClassifier("llm", never)).toThrow(/createLlmModeClassifier/);
    expect(() => createClassifier("hybrid", never)).toThrow(/createLlmModeClassifier/);
    expect(() => createClassifier("magic", never)).toThrow(/unknown --mode/);
  });
});
