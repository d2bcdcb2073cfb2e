import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test.describe("API reference /docs", () => {
  test("renders every section offline under the CSP; a GET try-it form calls the API with the session", async ({ page, context }) => {
    const violations: string[] = [];
    page.on("console", (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    // Nothing may come from another origin (no CDN).
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));

    await signIn(page, "agent");
    requested.length = 0;
    const res = await page.goto("/docs");
    expect(res!.status()).toBe(200);
    expect((await res!.allHeaders())["content-security-policy"]).toContain("nonce-");
    await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();

    const op = page.locator("details").filter({ has: page.locator("summary").filter({ hasText: /^POST\s*\/api\/tickets\s*File a ticket/ }) }).first();
    await expect(op).toBeVisible();
    await op.locator("summary").first().click();
    await expect(op.getByText("API key scope: tickets:write")).toBeVisible();
    await expect(op.getByText("429", { exact: true })).toBeVisible();

    // Try GET /api/tickets/stats from its form: the new tab shows the JSON answer.
    const stats = page.locator("details").filter({ has: page.locator("summary").filter({ hasText: /^GET\s*\/api\/tickets\/stats/ }) }).first();
    await stats.locator("summary").first().click();
    const [tab] = await Promise.all([context.waitForEvent("page"), stats.getByRole("button", { name: /Send/ }).click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toContain("/api/tickets/stats");
    await expect(tab.locator("body")).toContainText('"total"');

    expect(violations).toEqual([]);
    const origin = new URL(page.url()).origin;
    expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith("data:"))).toEqual([]);
  });
});
