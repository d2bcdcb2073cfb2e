import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, uniqueWord } from "./helpers";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/*
 * Admin › SLA policies and Business hours end to end: an admin changes the P4 policy's
 * first-response target in the form and sees it in the policies table (then puts it back);
 * creates a calendar with a split shift on Monday; imports holidays from an .ics file; both
 * pages pass axe (serious/critical).
 */

async function axe(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("\n");
  expect(serious, `${name}: serious/critical axe violations\n${report}`).toEqual([]);
}

async function setFirstResponse(page: Page, value: string, unit: string) {
  await page.goto("/admin/sla");
  await page.getByRole("link", { name: "P4 low", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit P4 low" })).toBeVisible();
  await page.getByLabel("First response target", { exact: true }).fill(value);
  await page.getByLabel("First response target: unit").selectOption(unit);
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved: P4 low." })).toBeVisible();
}

test("admin edits the P4 policy's first response target and sees it in the table", async ({ page }) => {
  await signIn(page, "admin", "/admin/sla");
  await page.goto("/admin/sla");
  await expect(page.getByTestId("specificity-rule")).toContainText("most specific wins");
  const row = page.getByTestId("policy-row-P4 low");
  await expect(row.getByTestId("first-response")).toHaveText("1 business day");
  await axe(page, "/admin/sla");

  await setFirstResponse(page, "90", "minutes");
  await page.goto("/admin/sla");
  await expect(page.getByTestId("policy-row-P4 low").getByTestId("first-response")).toHaveText("90 min");

  // Put the default back for the other specs.
  await setFirstResponse(page, "1", "bdays");
  await page.goto("/admin/sla");
  await expect(page.getByTestId("policy-row-P4 low").getByTestId("first-response")).toHaveText("1 business day");
});

test("admin creates a calendar with a split shift and imports holidays from an .ics file", async ({ page }) => {
  const name = `Desk ${uniqueWord("cal")}`;
  await signIn(page, "admin", "/admin/calendars");
  await page.goto("/admin/calendars");
  const form = page.getByRole("form", { name: "Create calendar" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Time zone").selectOption("Europe/Berlin");
  await form.getByLabel("Monday shift 1 end").fill("12:00");
  await form.getByRole("button", { name: "Add a shift on Monday" }).click();
  await form.getByLabel("Monday shift 2 start").fill("13:00");
  await form.getByLabel("Monday shift 2 end").fill("17:00");
  await form.getByRole("button", { name: "Create calendar" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Calendar ${name} created.` })).toBeVisible();
  const row = page.getByTestId(`calendar-row-${name}`);
  await expect(row.getByTestId("hours-summary")).toHaveText("Mon 09:00–12:00, 13:00–17:00");

  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByLabel("Monday shift 2 start")).toHaveValue("13:00");
  await page.getByLabel("iCalendar file (.ics)").setInputFiles(path.join(root, "tests/fixtures/ics/holidays.ics"));
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toContainText("Skipped Team day");
  await expect(page.getByTestId("holiday-2026-12-25")).toContainText("Christmas break");
  await expect(page.getByTestId("holiday-2027-04-05")).toContainText("Easter Monday");
  await axe(page, "/admin/calendars/[id]");
});
