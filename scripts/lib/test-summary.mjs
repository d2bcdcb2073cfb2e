/**
 * The plain result lines `npm test` prints (scripts/test.mjs), from the vitest and Playwright
 * JSON reports. Pure functions, tested in scripts/lib/test-summary.test.ts.
 *
 * Flaky tests (failed, then passed on a retry) are never counted as passed. They are listed by
 * name on their own line; under CI (env CI set) they also count as failed and fail the run,
 * locally (where playwright.config.ts allows no retries unless asked) they only warn.
 */

/** Full names (`file › describe › title [project]`) of the Playwright tests with the given status. */
function playwrightTestsWithStatus(report, status) {
  const out = [];
  const walk = (suite, trail) => {
    const here = suite.title ? [...trail, suite.title] : trail;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== status) continue;
        const project = test.projectName ? ` [${test.projectName}]` : "";
        out.push(`${[...here, spec.title].join(" › ")}${project}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report?.suites ?? []) walk(suite, []);
  return out;
}

/**
 * Summarise a Playwright JSON report.
 * @param report parsed JSON report, or null when it could not be read (counts as one failure).
 * @param opts.ci true under CI: flaky tests count as failed.
 * @returns lines to print (`e2e: N passed, M failed[, F flaky][, S skipped]`, then the flaky
 *   list when there are any) and whether the suite failed.
 */
export function summarizePlaywright(report, { ci }) {
  const s = report?.stats;
  if (!s) return { lines: ["e2e: 0 passed, 1 failed (no report)"], failed: true };
  const flaky = playwrightTestsWithStatus(report, "flaky");
  const passed = s.expected;
  const bad = s.unexpected + (ci ? s.flaky : 0);
  const extra = `${s.flaky ? `, ${s.flaky} flaky` : ""}${s.skipped ? `, ${s.skipped} skipped` : ""}`;
  const lines = [`e2e: ${passed} passed, ${bad} failed${extra}`];
  if (flaky.length) {
    const verdict = ci ? "counted as failed under CI" : "not counted as passed; they fail the run under CI";
    lines.push(`e2e flaky (passed only on retry, ${verdict}): ${flaky.join("; ")}`);
  }
  return { lines, failed: bad > 0 || passed === 0 };
}

/**
 * Summarise a vitest JSON report (vitest runs without retries: scripts/test.mjs passes
 * --retry=0, so a test that fails once fails the run).
 * @param report parsed JSON report, or null when it could not be read (counts as one failure).
 */
export function summarizeVitest(report, label = "unit") {
  if (!report) return { lines: [`${label}: 0 passed, 1 failed (no report)`], failed: true };
  const passed = report.numPassedTests ?? 0;
  const bad = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  const skipped = report.numPendingTests ? `, ${report.numPendingTests} skipped` : "";
  return { lines: [`${label}: ${passed} passed, ${bad} failed${skipped}`], failed: bad > 0 || passed === 0 };
}
