import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\n")}`).join("\n");
  expect(serious, `${name}: serious/critical axe violations\n${report}`).toEqual([]);
  console.log(`[axe] ${name}: ${results.passes.length} rules passed, ${results.violations.length} minor`);
}

test.describe("admin: compliance rule sets", () => {
  test("create from the example, edit as JSON and as a form with errors at their place, deactivate", async ({ page }, testInfo) => {
    const name = `Pharma shipments e2e ${testInfo.retry}`;
    await signIn(page, "admin");
    await page.goto("/admin/categories");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Compliance rule sets" }).click();
    await expect(page).toHaveURL(/\/admin\/rule-sets$/);
    await expectNoSeriousViolations(page, "/admin/rule-sets");

    // Validation before sending: the starter rule has no columns, no name.
    await page.getByRole("button", { name: "Create rule set" }).click();
    await expect(page.locator("form").getByRole("alert")).toContainText("Please correct the highlighted problems");
    await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
    await expect(page.getByTestId("rule-0").getByLabel("Columns (one per line)")).toHaveAttribute("aria-invalid", "true");

    await page.getByRole("button", { name: /Start from the example/ }).click();
    await expect(page.getByTestId("rule-7")).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create rule set" }).click();
    await expect(page).toHaveURL(/\/admin\/rule-sets\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Edit rule set (version 1)" })).toBeVisible();

    // JSON view: syntax error, then a dangerous regex, each explained.
    await page.getByRole("button", { name: "JSON", exact: true }).click();
    const json = page.getByLabel("Rules as JSON");
    await expect(json).toHaveValue(/batch-register/);
    const text = await json.inputValue();
    await json.fill(text.slice(0, -3));
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("json-errors")).toContainText("Not valid JSON");
    await json.fill(text.replace('"regex": "[!', '"regex": "(a+)+[!'));
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("json-errors")).toContainText("Rule 3 › regex: Nested quantifier");
    await expectNoSeriousViolations(page, "/admin/rule-sets/[id] JSON with errors");

    // Back to the form: the same problem at its field; fix it there and save.
    await page.getByRole("button", { name: "Form", exact: true }).click();
    const regex = page.getByTestId("rule-2").getByLabel("Regular expression");
    await expect(regex).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("rule-2")).toContainText("Nested quantifier");
    await regex.fill("[A-Z0-9-]{1,20}");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator("form").getByRole("status")).toContainText(`Saved: ${name}, version 2.`);

    // A new empty rule: errors on its fields, nothing saved.
    await page.getByLabel("Add a rule").selectOption({ label: "Allowed values" });
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("button", { name: "Save changes" }).click();
    const added = page.getByTestId("rule-8");
    await expect(added.getByLabel("Column", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(added).toContainText("List at least one allowed value");
    await expectNoSeriousViolations(page, "/admin/rule-sets/[id] form with errors");
    await added.getByLabel("Column", { exact: true }).fill("Status");
    await added.getByLabel("Allowed values (one per line)").fill("Released\nQuarantine");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.locator("form").getByRole("status")).toContainText(`Saved: ${name}, version 3.`);
    await page.reload();
    await expect(page.getByTestId("rule-8").getByLabel("Allowed values (one per line)")).toHaveValue("Released\nQuarantine");

    await page.getByRole("button", { name: "Deactivate" }).click();
    await expect(page.locator("form").getByRole("status")).toContainText("is inactive");
    await page.goto("/admin/rule-sets");
    await expect(page.getByTestId("rule-set-table").getByRole("row", { name: new RegExp(name) })).toContainText("Inactive");
  });

  test("agents cannot open the admin page", async ({ page }) => {
    await signIn(page, "agent");
    await page.goto("/admin/rule-sets");
    await expect(page).toHaveURL(/\/tickets/);
  });
});
