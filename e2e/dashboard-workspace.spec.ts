import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, toNumber, uniqueWord } from "./helpers";

/*
 * The dashboard's workspace figures (issue 12): the backlog now with drill-down links that open
 * the ticket list filtered to the same tickets, range presets with the previous-period
 * comparison, and an axe scan.
 */

test.setTimeout(120_000);

test("the backlog drills down to the filtered list with the same count, and a preset changes the period", async ({ page }) => {
  await signIn(page, "agent");
  // The state under test: at least one unsolved ticket younger than a day.
  const res = await page.request.post("/api/tickets", {
    data: { title: `Dashboard backlog ${uniqueWord()}`, description: "Created by the dashboard end-to-end test.", email: `e2e-${uniqueWord()}@example.com` },
  });
  expect(res.status()).toBe(201);

  await page.goto("/dashboard");
  const backlog = page.getByTestId("backlog-section");
  // First load: every section asks the server at once.
  await expect(page.getByTestId("backlog-total")).toHaveText(/^\d[\d,]*$/, { timeout: 30_000 });
  expect(toNumber(await page.getByTestId("backlog-total").textContent())).toBeGreaterThan(0);

  // Every count in the backlog tables is a link; take the smallest non-zero one (fits on one list page).
  // Read them in one go (the section re-renders when it refreshes).
  const cells = await backlog
    .getByRole("table")
    .getByRole("link")
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, n: Number((a.textContent ?? "").replace(/,/g, "")) })));
  expect(cells.length).toBeGreaterThan(10);
  let best: { href: string; n: number } | null = null;
  for (const c of cells) if (c.n > 0 && (!best || c.n < best.n)) best = c;
  expect(best, "a non-empty backlog cell").not.toBeNull();
  expect(best!.n).toBeLessThanOrEqual(25);
  await backlog.locator(`a[href="${best!.href}"]`).first().click();
  await expect(page).toHaveURL((u) => u.pathname === "/tickets" && u.searchParams.get("status") !== null);
  const url = new URL(page.url());
  expect(url.search).toBe(new URL(best!.href, page.url()).search);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const ticketLinks = page.locator('main a[href^="/tickets/T-"]');
  await expect.poll(async () => new Set(await ticketLinks.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).size, { timeout: 30_000 }).toBe(best!.n);

  // A preset changes the period of the headline figures.
  await page.goto("/dashboard");
  const period = page.getByTestId("period-text");
  await expect(period).toContainText("compared with", { timeout: 30_000 });
  const before = await period.textContent();
  await page.getByRole("button", { name: "Today", exact: true }).click();
  await expect(page.getByRole("button", { name: "Today", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(period).not.toHaveText(before!, { timeout: 30_000 });
  const today = new Date().toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  await expect(period).toHaveText(new RegExp(`^${today} compared with `));
  await expect(page.getByTestId("stat-total-change")).toContainText("vs");
});

test("the dashboard passes axe with the backlog, agents and satisfaction sections", async ({ page }) => {
  await signIn(page, "agent");
  await page.goto("/dashboard");
  await expect(page.getByTestId("backlog-total")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("agents-table")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("csat-all")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("stat-total")).toBeVisible();
  await expectAccessible(page, "/dashboard");
});
