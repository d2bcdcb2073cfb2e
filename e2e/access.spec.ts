import { expect, request as playwrightRequest, test } from "@playwright/test";
import { apiSignIn, signIn } from "./helpers";

test.describe("unauthorized access", () => {
  test("signed out: /tickets and /dashboard redirect to sign-in and come back after", async ({ page }) => {
    await page.goto("/tickets?status=new");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Ftickets%3Fstatus%3Dnew$/);
    await expect(page.getByRole("heading", { name: "Sign in to Switchboard" })).toBeVisible();

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard$/);

    // Signing in returns to the page asked for.
    await page.getByLabel("E-mail").fill("agent@example.com");
    await page.getByLabel("Password").fill("agent-demo-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("wrong password shows an error and stays on sign-in", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill("agent@example.com");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
  });

  test("signed out: the stats API answers 401", async ({ request }) => {
    const res = await request.get("/api/tickets/stats");
    expect(res.status()).toBe(401);
  });

  test("a requester cannot use the agent pages or see another requester's ticket", async ({ page, baseURL }) => {
    // A ticket filed by somebody else, found through an agent's API session.
    const agent = await playwrightRequest.newContext({ baseURL });
    await apiSignIn(agent, "agent");
    const list = await agent.get("/api/tickets?email=dana.whitfield%40northwind.example&limit=1");
    expect(list.ok()).toBeTruthy();
    const othersKey = ((await list.json()) as { items: { key: string }[] }).items[0]?.key;
    expect(othersKey, "the demo desk has tickets from dana.whitfield@northwind.example (lib/demo/desk)").toMatch(/^T-\d+$/);
    await agent.dispose();

    await signIn(page, "requester");
    await expect(page.getByText("Rita Requester")).toBeVisible();

    await page.goto("/tickets");
    await expect(page).toHaveURL(/\/requests$/);
    await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();

    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/requests$/);

    await page.goto(`/tickets/${othersKey}`);
    await expect(page).toHaveURL(/\/requests$/);

    const stats = await page.request.get("/api/tickets/stats");
    expect(stats.status()).toBe(403);

    const res = await page.goto(`/requests/${othersKey}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Request not found" })).toBeVisible();

    // Their own tickets are listed and open normally.
    await page.goto("/requests");
    const own = page.getByTestId("request-list").getByRole("link").first();
    await expect(own).toBeVisible();
    await own.click();
    await expect(page).toHaveURL(/\/requests\/T-\d+$/);
    await expect(page.getByRole("heading", { name: "Conversation" })).toBeVisible();
    await expect(page.getByTestId("internal-note")).toHaveCount(0);
  });
});
