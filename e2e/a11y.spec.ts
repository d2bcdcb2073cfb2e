import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

/** Run axe on the page; fail on serious/critical violations, printing each with its elements. */
async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = results.violations.filter((v) => !serious.includes(v));
  if (minor.length) {
    console.log(`[axe] ${name}: ${minor.length} minor/moderate: ${minor.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(", ")}`);
  }
  const report = serious
    .map((v) => `${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n")}`)
    .join("\n");
  expect(serious, `${name}: serious/critical axe violations\n${report}`).toEqual([]);
  console.log(`[axe] ${name}: ${results.passes.length} rules passed, 0 serious/critical violations`);
}

test.describe("accessibility (axe)", () => {
  test("sign-in page", async ({ page }) => {
    await page.goto("/signin");
    await expectNoSeriousViolations(page, "/signin");
  });

  test.describe("signed in as agent", () => {
    test.beforeEach(async ({ page }) => {
      await signIn(page, "agent");
    });

    test("/submit with suggestions shown", async ({ page }) => {
      await page.goto("/submit");
      await page.getByLabel("Title").fill("Cannot log in to SAP since password reset");
      await page
        .getByLabel("Description", { exact: true })
        .fill("Since my password was reset this morning SAP says my account is locked. I need access for month-end closing.");
      await page.getByLabel("Description", { exact: true }).blur();
      await expect(page.getByTestId("suggestion-chips")).toBeVisible();
      await expectNoSeriousViolations(page, "/submit");
    });

    test("/submit with validation errors", async ({ page }) => {
      await page.goto("/submit");
      await page.getByRole("button", { name: "Submit ticket" }).click();
      await expect(page.getByText("The title needs at least 3 characters").first()).toBeVisible();
      await expectNoSeriousViolations(page, "/submit (errors)");
    });

    test("/tickets", async ({ page }) => {
      await page.goto("/tickets?view=unsolved"); // the default view (My open) may be empty for the demo agent
      await expect(page.getByTestId("ticket-table")).toBeVisible();
      await expectNoSeriousViolations(page, "/tickets");
    });

    test("/tickets/[key]", async ({ page }) => {
      await page.goto("/tickets?view=unsolved");
      await page.getByTestId("ticket-table").getByRole("link").first().click();
      await expect(page.getByTestId("triage-panel")).toBeVisible();
      await expectNoSeriousViolations(page, "/tickets/[key]");
    });

    test("/dashboard with the triage section", async ({ page }) => {
      test.setTimeout(120_000); // the busiest page: seven polled sections and their link tables for axe to scan
      await page.goto("/dashboard");
      await expect(page.getByTestId("stat-total")).toBeVisible({ timeout: 30_000 }); // the sections load in parallel after the page
      await expect(page.locator(".recharts-surface").first()).toBeVisible();
      await expect(page.getByTestId("triage-accuracy")).toHaveText(/%$/);
      await expect(page.getByTestId("review-queue")).toHaveText(/^\d/);
      const triage = page.getByRole("region", { name: "Triage", exact: true });
      await expect(triage.locator(".recharts-surface").first()).toBeVisible();
      // Include a data table in the scan.
      await triage.getByText("Show data").first().click();
      await expect(triage.getByRole("table").first()).toBeVisible();
      await expectNoSeriousViolations(page, "/dashboard (with triage)");
    });

    test("/files", async ({ page }) => {
      await page.goto("/files");
      await expect(page.getByRole("heading", { level: 1, name: "Files" })).toBeVisible();
      await page.getByLabel("Compliance sheet").check();
      await expectNoSeriousViolations(page, "/files (compliance chosen)");
    });

    test("/tickets as the review queue", async ({ page }) => {
      await page.goto("/tickets?needsReview=true&status=new,open,in_progress,waiting");
      await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
      await expectNoSeriousViolations(page, "/tickets (review queue)");
    });
  });

  test("/submit with possible duplicates (requester)", async ({ page }) => {
    await signIn(page, "requester");
    const description = "My second monitor flickers and goes black every few minutes when it is connected through the docking station.";
    await page.goto("/submit");
    await page.getByLabel("Title").fill("Second monitor flickers");
    await page.getByLabel("Description", { exact: true }).fill(description);
    await page.getByRole("button", { name: "Submit ticket" }).click();
    await expect(page.getByTestId("created-key")).toBeVisible();
    await page.getByRole("button", { name: "Submit another ticket" }).click();
    await page.getByLabel("Title").fill("Monitor keeps flickering");
    await page.getByLabel("Description", { exact: true }).fill(description);
    await page.getByLabel("Description", { exact: true }).blur();
    await expect(page.getByTestId("possible-duplicates")).toBeVisible();
    await expectNoSeriousViolations(page, "/submit (possible duplicates)");
  });

  test.describe("signed in as admin", () => {
    test.beforeEach(async ({ page }) => {
      await signIn(page, "admin");
    });

    test("/admin/categories", async ({ page }) => {
      await page.goto("/admin/categories");
      await expect(page.getByTestId("category-table")).toBeVisible();
      await expectNoSeriousViolations(page, "/admin/categories");
    });

    test("/admin/categories with validation errors", async ({ page }) => {
      await page.goto("/admin/categories");
      await page.getByRole("button", { name: "Create category" }).click();
      await expect(page.getByText("Choose the team this category routes to.")).toBeVisible();
      await expectNoSeriousViolations(page, "/admin/categories (errors)");
    });

    test("/admin/teams", async ({ page }) => {
      await page.goto("/admin/teams");
      await expect(page.getByTestId("team-table")).toBeVisible();
      await expectNoSeriousViolations(page, "/admin/teams");
    });

    test("/admin/routing", async ({ page }) => {
      await page.goto("/admin/routing");
      await expect(page.getByTestId("target-form")).toBeVisible();
      await expect(page.getByTestId("dead-letter-table")).toBeVisible();
      await expectNoSeriousViolations(page, "/admin/routing");
    });

    test("/admin/employees", async ({ page }) => {
      await page.goto("/admin/employees");
      await expect(page.getByTestId("employee-table")).toBeVisible();
      await expectNoSeriousViolations(page, "/admin/employees");
    });
  });
});
