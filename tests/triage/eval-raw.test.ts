import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const DEV = "../shared/datasets/it-tickets/dev.csv";

/** Run `npm run eval` on a file and parse its last stdout line (the JSON summary). */
async function evalSummary(file: string): Promise<Record<string, unknown> & { n: number }> {
  const { stdout } = await run("npx", ["tsx", "--import", "./scripts/lib/server-only-register.mjs", "scripts/eval.mts", "--data", file, "--warmup", "0"], {
    env: { ...process.env, TRIAGE_REVIEW_THRESHOLD: "0.8" },
    maxBuffer: 16 << 20,
  });
  const lines = stdout.trim().split("\n");
  console.log(lines.slice(-12).join("\n"));
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown> & { n: number };
}

function expectShare(v: unknown): void {
  expect(typeof v).toBe("number");
  expect(v as number).toBeGreaterThanOrEqual(0);
  expect(v as number).toBeLessThanOrEqual(1);
}

describe("npm run eval on raw tickets (a report: the figures are printed, not asserted)", () => {
  it("handwritten.csv: the review fields are computed over all 15 tickets", async () => {
    const s = await evalSummary("data/eval/handwritten.csv");
    expect(s.n).toBe(15);
    expect(s.reviewThreshold).toBe(0.8);
    expectShare(s.flaggedShare);
    expectShare(s.unflaggedAccuracy);
    // every share is a multiple of 1/15: computed over the whole file
    expect(Math.abs((s.flaggedShare as number) * 15 - Math.round((s.flaggedShare as number) * 15))).toBeLessThan(1e-9);
    expect(s.preprocessed).toBeUndefined();
  }, 60_000);

  it.skipIf(!existsSync(DEV))("dev-raw.csv: 240 tickets, with the same tickets pre-processed side by side", async () => {
    const s = await evalSummary("data/eval/dev-raw.csv");
    expect(s.n).toBe(240);
    expectShare(s.flaggedShare);
    expectShare(s.unflaggedAccuracy);
    expect(Math.abs((s.flaggedShare as number) * 240 - Math.round((s.flaggedShare as number) * 240))).toBeLessThan(1e-9);
    const pre = s.preprocessed as Record<string, number>;
    expect(pre.n).toBe(240);
    for (const k of ["accuracy", "macroF1", "ece", "flaggedShare", "unflaggedAccuracy"]) expectShare(pre[k]);
  }, 60_000);
});
