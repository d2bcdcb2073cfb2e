import { describe, expect, it } from "vitest";
import { accuracy, macroF1, perClassReport, confusionMatrix, expectedCalibrationError, coverageCurve } from "./metrics";

// gold: a a a b b c ; pred: a a b b c c
const gold = ["a", "a", "a", "b", "b", "c"];
const pred = ["a", "a", "b", "b", "c", "c"];

describe("metrics", () => {
  it("accuracy", () => {
    expect(accuracy(gold, pred)).toBeCloseTo(4 / 6, 12);
    expect(accuracy([], [])).toBe(0);
    expect(() => accuracy(["a"], [])).toThrow();
  });

  it("per-class precision / recall / F1 / support (hand computed)", () => {
    const r = perClassReport(gold, pred);
    // a: tp2 fp0 fn1 -> P 1, R 2/3, F1 0.8 ; b: tp1 fp1 fn1 -> .5 .5 .5 ; c: tp1 fp1 fn0 -> .5 1 2/3
    expect(r.map((x) => x.label)).toEqual(["a", "b", "c"]);
    expect(r[0]).toMatchObject({ precision: 1, support: 3 });
    expect(r[0].recall).toBeCloseTo(2 / 3, 12);
    expect(r[0].f1).toBeCloseTo(0.8, 12);
    expect(r[1]).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r[2].f1).toBeCloseTo(2 / 3, 12);
    expect(macroF1(gold, pred)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it("macro-F1 counts a never-predicted class as F1 0", () => {
    expect(macroF1(["a", "b"], ["a", "a"])).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it("confusion matrix rows = gold, cols = predicted", () => {
    const cm = confusionMatrix(gold, pred);
    expect(cm.labels).toEqual(["a", "b", "c"]);
    expect(cm.counts).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it("ECE with 15 equal-width bins", () => {
    // bin [0.8667,0.9333): conf .9,.9 correct 1/2 -> |.5-.9| * 2/4 = .2
    // bin [0.6,0.6667): conf .6,.6 correct 2/2 -> |1-.6| * 2/4 = .2
    expect(expectedCalibrationError([0.9, 0.9, 0.6, 0.6], [true, false, true, true])).toBeCloseTo(0.4, 12);
    // perfectly calibrated: conf 1 and correct
    expect(expectedCalibrationError([1, 1], [true, true])).toBe(0);
    expect(expectedCalibrationError([], [])).toBe(0);
  });

  it("coverage curve keeps the most confident examples", () => {
    const conf = [0.9, 0.8, 0.7, 0.6, 0.5];
    const ok = [true, true, false, true, false];
    const c = coverageCurve(conf, ok, [0.4, 0.6, 1]);
    expect(c[0]).toMatchObject({ kept: 2, accuracy: 1, threshold: 0.8 });
    expect(c[1].kept).toBe(3);
    expect(c[1].accuracy).toBeCloseTo(2 / 3, 12);
    expect(c[1].threshold).toBe(0.7);
    expect(c[2]).toMatchObject({ kept: 5, accuracy: 0.6, threshold: 0.5 });
  });
});
