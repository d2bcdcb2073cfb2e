import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { readLabelledCsv } from "./dataset";
import { evaluateNewCategory, formatCells, stratifiedSample } from "./new-category-eval";

// 2,000 dev-split tickets shipped in the repo (db/seed-data), so this never depends on ../shared.
const samplePath = fileURLToPath(new URL("../../../db/seed-data/it-tickets-sample.csv", import.meta.url));

describe("leave-one-class-out: a new category from k = 10 examples (report)", () => {
  it("trains on 7 labels, teaches the 8th through model.learn and reports P/R/F1 and old-class accuracy", () => {
    const rows = readLabelledCsv(samplePath);
    const train = rows.slice(0, 1500);
    const dev = rows.slice(1500);
    const cells = evaluateNewCategory({ train, sets: { sample: dev }, label: "purchase", ks: [10], seed: 1 });
    console.log(formatCells("purchase (sample: 1,500 train / 500 eval)", cells));
    expect(cells).toHaveLength(1);
    const c = cells[0];
    expect(c).toMatchObject({ k: 10, set: "sample" });
    expect(c.support).toBeGreaterThan(10);
    for (const v of [c.precision, c.recall, c.f1, c.oldAccuracy]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(c.f1).toBeGreaterThan(0.3); // loose floor: the new class is learned at all
    expect(c.oldAccuracy).toBeGreaterThan(0.5);
  });

  it("stratified subsampling keeps every label and roughly its share", () => {
    const rows = readLabelledCsv(samplePath);
    const s = stratifiedSample(rows, 400, 3);
    expect(s.length).toBeGreaterThan(380);
    expect(s.length).toBeLessThan(420);
    expect(new Set(s.map((r) => r.label))).toEqual(new Set(rows.map((r) => r.label)));
  });
});
