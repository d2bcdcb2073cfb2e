import { describe, expect, it } from "vitest";
import { summarizePlaywright, summarizeVitest } from "./test-summary.mjs";

const spec = (title: string, status: string) => ({ title, tests: [{ status, projectName: "chromium", results: [] }] });
/** A Playwright JSON report with one passing, one flaky (passed on retry) and one skipped test. */
const report = {
  stats: { expected: 1, unexpected: 0, flaky: 1, skipped: 1 },
  suites: [
    {
      title: "triage.spec.ts",
      specs: [spec("review queue lists the ticket", "expected")],
      suites: [{ title: "sign-in", specs: [spec("signs in and out", "flaky"), spec("later", "skipped")] }],
    },
  ],
};

describe("npm test summary lines", () => {
  it("never counts a test that passed only on retry as passed, and names it", () => {
    const local = summarizePlaywright(report, { ci: false });
    expect(local.lines[0]).toBe("e2e: 1 passed, 0 failed, 1 flaky, 1 skipped");
    expect(local.lines[1]).toMatch(/^e2e flaky \(passed only on retry.*\): triage\.spec\.ts › sign-in › signs in and out \[chromium\]$/);
    expect(local.failed).toBe(false);
  });

  it("counts flaky tests as failed under CI", () => {
    const ci = summarizePlaywright(report, { ci: true });
    expect(ci.lines[0]).toBe("e2e: 1 passed, 1 failed, 1 flaky, 1 skipped");
    expect(ci.lines[1]).toContain("counted as failed under CI");
    expect(ci.failed).toBe(true);
  });

  it("prints no flaky line when there are none, and fails on a missing report or no passes", () => {
    const clean = summarizePlaywright({ stats: { expected: 3, unexpected: 0, flaky: 0, skipped: 0 }, suites: [] }, { ci: true });
    expect(clean).toEqual({ lines: ["e2e: 3 passed, 0 failed"], failed: false });
    expect(summarizePlaywright(null, { ci: false }).failed).toBe(true);
    expect(summarizePlaywright({ stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 2 }, suites: [] }, { ci: false }).failed).toBe(true);
  });

  it("summarises vitest", () => {
    expect(summarizeVitest({ numPassedTests: 5, numFailedTests: 1, numPendingTests: 2 })).toEqual({ lines: ["unit: 5 passed, 1 failed, 2 skipped"], failed: true });
    expect(summarizeVitest({ numPassedTests: 5, numFailedTests: 0, numRuntimeErrorTestSuites: 0 }).failed).toBe(false);
    expect(summarizeVitest(null).failed).toBe(true);
  });
});
