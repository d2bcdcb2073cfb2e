import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { signIn, uniqueWord } from "./helpers";

/*
 * /admin/audit: an admin filters the audit trail by a ticket, switches to the AI decisions tab
 * (the ticket filter goes along) and downloads the CSV export, which holds that ticket.
 */
test("an admin filters the audit by ticket, switches to AI decisions and downloads the CSV", async ({ page }) => {
  await signIn(page, "admin");
  const title = `Audit e2e printer ${uniqueWord()}`;
  const res = await page.request.post("/api/tickets", {
    data: { title, description: "The third floor printer jams on every page since this morning.", email: `e2e-${uniqueWord()}@example.com` },
  });
  expect(res.status(), await res.text()).toBe(201);
  const key = ((await res.json()) as { ticket: { key: string } }).ticket.key;

  await page.goto("/admin/audit");
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { level: 2, name: "Changes" })).toBeVisible();

  await page.getByLabel("Ticket").fill(key);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`ticket=${key}`));
  const changes = page.getByTestId("audit-change-row");
  await expect(changes.first()).toBeVisible();
  await expect(changes.filter({ hasText: "ticket.created" })).toHaveCount(1);
  // Only this ticket's events.
  for (const row of await changes.all()) await expect(row.getByRole("link", { name: key })).toBeVisible();

  await page.getByRole("navigation", { name: "Audit views" }).getByRole("link", { name: "AI decisions" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "AI decisions" })).toBeVisible();
  await expect(page.getByLabel("Ticket")).toHaveValue(key);
  const decisions = page.getByTestId("audit-decision-row");
  await expect(decisions).toHaveCount(1);
  await expect(decisions.first().getByRole("link", { name: key })).toBeVisible();

  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("audit-export-csv").click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^triage-decisions-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toContain('"created_at","ticket","ticket_title"');
  expect(csv).toContain(`"${key}"`);
  expect(csv).toContain(title);
});
