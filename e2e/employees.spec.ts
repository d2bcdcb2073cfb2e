import { expect, test } from "@playwright/test";
import { signIn, uniqueWord } from "./helpers";

test.describe("employee skill profiles", () => {
  test("an admin adds and edits an employee; /submit offers their team as a department and routes the ticket there", async ({ page }) => {
    const word = uniqueWord("emp");
    const name = `Petra ${word}`;
    const email = `${word}@example.com`;

    await signIn(page, "admin");
    await page.goto("/admin/categories");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Employees" }).click();
    await expect(page).toHaveURL(/\/admin\/employees$/);
    await expect(page.getByRole("heading", { level: 2, name: "Employees" })).toBeVisible();
    await expect(page.getByTestId("upload-employees-link")).toHaveAttribute("href", "/files?kind=employees");

    // Checked before anything is sent.
    const form = page.getByTestId("employee-form");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Time zone").fill("Mars/Olympus");
    await form.getByRole("button", { name: "Create employee" }).click();
    await expect(form.getByText('Unknown time zone "Mars/Olympus"')).toBeVisible();
    await expect(form.getByLabel("Time zone")).toBeFocused();

    await form.getByLabel("Time zone").fill("Europe/Vienna");
    await form.getByLabel("Team").selectOption({ label: "Procurement" });
    await form.getByLabel("Skills").fill("SAP MM, purchase orders");
    await form.getByRole("button", { name: "Create employee" }).click();
    await expect(form.getByRole("status").filter({ hasText: `${name} added.` })).toBeVisible();

    const row = page.locator(`[data-testid="employee-row"][data-email="${email}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("employee-skills")).toHaveText("sap mm, purchase orders");
    await expect(row.getByText("invited")).toBeVisible();

    // Edit: skills, seniority and capacity.
    await row.getByRole("link", { name: `Edit ${name}` }).click();
    const edit = page.getByTestId("employee-form");
    await expect(edit.getByRole("heading", { name: `Edit ${name}` })).toBeVisible();
    await expect(edit.getByLabel("Team")).toHaveValue("procurement");
    await edit.getByLabel("Skills").fill("sap mm, invoices; Vendors");
    await edit.getByLabel("Seniority").selectOption("lead");
    await edit.getByLabel("Max open tickets").fill("4");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByRole("status").filter({ hasText: `Saved ${name}.` })).toBeVisible();
    await expect(row.getByTestId("employee-skills")).toHaveText("sap mm, invoices, vendors");
    await expect(row.getByTestId("employee-seniority")).toHaveText("lead");
    await expect(row.getByTestId("employee-load")).toHaveText("0/4");

    // The team filter.
    await page.getByLabel("Filter by team").selectOption({ label: "Procurement" });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/team=procurement/);
    await expect(row).toBeVisible();

    // /submit: the department select lists Procurement (it has an active employee) and wins over the suggestion.
    await page.goto("/submit");
    const department = page.getByLabel("Department (optional)");
    await expect(department).toBeVisible();
    await expect(department.locator("option", { hasText: "Procurement" })).toHaveCount(1);
    await department.selectOption({ label: "Procurement" });
    await page.getByLabel("Title").fill("Cannot connect to the VPN from home");
    await page.getByLabel("Description", { exact: true }).fill("Since this morning the VPN client says the connection timed out, on home Wi-Fi.");
    await page.getByLabel("Description", { exact: true }).blur();
    await page.getByRole("button", { name: "Submit ticket" }).click();
    await expect(page.getByTestId("submit-success")).toContainText("Routed to Procurement");
  });
});
