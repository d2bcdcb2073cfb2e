import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test.describe("admin: categories and routing", () => {
  test("an admin creates a category routed to Service Desk; it is offered on /submit until deactivated", async ({ page }, testInfo) => {
    // A retry (CI) must not trip over the category the first attempt created.
    const name = testInfo.retry ? `Facilities ${testInfo.retry + 1}` : "Facilities";
    const slug = testInfo.retry ? `facilities-${testInfo.retry + 1}` : "facilities";

    await signIn(page, "admin");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(page).toHaveURL(/\/admin\/categories$/);
    await expect(page.getByRole("heading", { level: 2, name: "Categories and routing" })).toBeVisible();

    // Validation before anything is sent.
    await page.getByRole("button", { name: "Create category" }).click();
    await expect(page.getByText("Choose the team this category routes to.")).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toBeFocused();

    await page.getByLabel("Name", { exact: true }).fill(name);
    await expect(page.getByLabel("Slug")).toHaveValue(slug);
    await page.getByLabel("Routes to team").selectOption({ label: "Service Desk" });
    await page.getByLabel("Description (optional)").fill("Buildings, offices, furniture, heating, cleaning and access badges");
    await page.getByRole("button", { name: "Create category" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Category ${name} created, routed to Service Desk.` })).toBeVisible();

    const row = page.getByTestId(`category-row-${slug}`);
    await expect(row).toBeVisible();
    await expect(row.getByLabel(`Team for ${name}`)).toHaveValue("service-desk");
    await expect(row.getByLabel(`${name} Active`)).toBeChecked();
    // The form is cleared for the next one.
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");

    // The same slug again: a 409 shown on the field.
    await page.getByLabel("Name", { exact: true }).fill(`${name} again`);
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Routes to team").selectOption({ label: "Service Desk" });
    await page.getByRole("button", { name: "Create category" }).click();
    await expect(page.getByRole("alert").filter({ hasText: `The slug "${slug}" is already used by another category.` })).toBeVisible();
    await expect(page.getByLabel("Slug")).toHaveAttribute("aria-invalid", "true");

    // The requester form offers it, and the team follows.
    await page.goto("/submit");
    await page.getByLabel("Title").fill("Heating in meeting room 2.14 is broken");
    await page.getByLabel("Description", { exact: true }).fill("The radiator in meeting room 2.14 stays cold and the room is at 15 degrees this morning.");
    await page.getByLabel("Description", { exact: true }).blur();
    const category = page.getByLabel("Category", { exact: true });
    await expect(category).toBeVisible();
    await expect(category.locator("option", { hasText: name })).toHaveCount(1);
    await category.selectOption({ label: name });
    await expect(page.getByTestId("chip-team-value")).toHaveText("Service Desk");

    // Deactivated: no longer offered.
    await page.goto("/admin/categories");
    await row.getByLabel(`${name} Active`).uncheck();
    await row.getByRole("button", { name: `Save ${name}` }).click();
    await expect(row.getByRole("status")).toHaveText(`Saved: ${name} inactive (hidden from new tickets).`);
    await expect(row.getByLabel(`${name} Active`)).not.toBeChecked();
    await page.goto("/submit");
    await page.getByLabel("Title").fill("Heating in meeting room 2.14 is broken");
    await page.getByLabel("Description", { exact: true }).fill("The radiator in meeting room 2.14 stays cold and the room is at 15 degrees this morning.");
    await page.getByLabel("Description", { exact: true }).blur();
    await expect(category).toBeVisible();
    await expect(category.locator("option", { hasText: name })).toHaveCount(0);
  });

  test("an admin re-routes a category from its row", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto("/admin/categories");
    const row = page.getByTestId("category-row-purchase");
    const team = row.getByLabel("Team for Purchase");
    await expect(team).toHaveValue("procurement");
    await team.selectOption({ label: "Service Desk" });
    await row.getByRole("button", { name: "Save Purchase" }).click();
    await expect(row.getByRole("status")).toHaveText("Saved: Purchase routes to Service Desk.");
    // And back, so other specs see the seeded routing.
    await team.selectOption({ label: "Procurement" });
    await row.getByRole("button", { name: "Save Purchase" }).click();
    await expect(row.getByRole("status")).toHaveText("Saved: Purchase routes to Procurement.");
    await page.reload();
    await expect(page.getByTestId("category-row-purchase").getByLabel("Team for Purchase")).toHaveValue("procurement");
  });

  test("an admin creates a team, which categories can then route to", async ({ page }, testInfo) => {
    const name = `Facilities Management${testInfo.retry ? ` ${testInfo.retry + 1}` : ""}`;
    await signIn(page, "admin");
    await page.goto("/admin/teams");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Queue e-mail (optional)").fill("facilities@example.com");
    await page.getByRole("button", { name: "Create team" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Team ${name} created.` })).toBeVisible();
    await expect(page.getByTestId("team-table").getByRole("rowheader", { name: new RegExp(name) })).toBeVisible();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Categories and routing" }).click();
    await expect(page.getByLabel("Routes to team").locator("option", { hasText: name })).toHaveCount(1);
  });

  test("agents and requesters cannot open the admin pages; signed-out visitors are sent to sign in", async ({ page }) => {
    await page.goto("/admin/categories");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fcategories$/);

    await signIn(page, "agent");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    await page.goto("/admin/categories");
    await expect(page).toHaveURL(/\/tickets$/);
    await page.goto("/admin/teams");
    await expect(page).toHaveURL(/\/tickets$/);

    await page.context().clearCookies();
    await signIn(page, "requester");
    await page.goto("/admin/categories");
    await expect(page).toHaveURL(/\/requests$/);
  });
});
