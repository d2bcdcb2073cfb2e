import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test.describe("admin: API keys", () => {
  test("an admin creates a key, sees it once, uses it, revokes it and it is refused", async ({ page, request }, testInfo) => {
    const name = `e2e-key-${testInfo.retry}-${Date.now().toString(36)}`;
    await signIn(page, "admin");
    await page.goto("/admin/api-keys");
    await expect(page.getByRole("heading", { level: 2, name: "API keys" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "API keys" })).toHaveAttribute("aria-current", "page");

    await page.getByLabel("Name").fill(name);
    await page.getByLabel("tickets:read").check();
    await page.getByLabel("Expires after (days)").fill("30");
    await page.getByRole("button", { name: "Create key" }).click();
    const secretBox = page.getByTestId("api-key-secret");
    await expect(secretBox).toBeVisible();
    await expect(page.getByText("This is the only time the key is shown.")).toBeVisible();
    const secret = (await secretBox.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^sb_/);
    const row = page.getByTestId(`api-key-${secret.slice(0, 10)}`);
    await expect(row).toContainText(name);
    await expect(row).toContainText("tickets:read");

    // Reload: the secret is gone for good (only the prefix stays).
    await page.reload();
    await expect(page.getByTestId("api-key-secret")).toHaveCount(0);
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(row).toBeVisible();

    // The key works against the API (no cookies in this request context).
    const ok = await request.get("/api/tickets", { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status()).toBe(200);

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row.getByTestId("api-key-state")).toHaveText("Revoked");

    const refused = await request.get("/api/tickets", { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.status()).toBe(401);
  });
});
