import crypto from "node:crypto";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { uniqueWord } from "./helpers";
import { startPrivateInstance, tail, type PrivateInstance } from "./private-instance";

/*
 * The SLA countdown journey (issue #10 §2 and §7) on a private instance with the injectable
 * test clock (SWITCHBOARD_TEST_CLOCK=1; the shared e2e server has none): an agent files a P1
 * ticket (default P1 policy: first response 15 min, resolution 4 h, 24×7) and sees the live
 * countdown; the admin moves the SLA clock through POST /api/test/clock (no sleeping): +13 min
 * (past 80 % of 15 min) → at risk on the list badge and the page; +3 min → breached; one breach
 * sweep (the same route, `sweep: true`, instead of waiting for the every-minute job) → the
 * dashboard's breached backlog counts the ticket. At phone width the badge stays in view.
 */

const AGENT = { email: "sla-agent@switchboard.test", name: "Sam Agent", role: "agent" as const, password: `agent-${crypto.randomBytes(9).toString("base64url")}` };
const ADMIN = { email: "sla-admin@switchboard.test", name: "Ada Admin", role: "admin" as const, password: `admin-${crypto.randomBytes(9).toString("base64url")}` };

let app: PrivateInstance | null = null;
let admin: APIRequestContext | null = null;
let failed = false;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  failed = true; // until the instance is up (keeps its files when start-up fails)
  app = await startPrivateInstance({ prefix: "slacountdown", users: [AGENT, ADMIN], env: { SWITCHBOARD_TEST_CLOCK: "1" } });
  admin = await playwrightRequest.newContext({ baseURL: app.url });
  await signInOverHttp(admin, ADMIN);
  failed = false;
});

test.afterEach(({}, info) => {
  if (info.status !== info.expectedStatus) failed = true;
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  if (failed && app) console.log(`[sla-countdown] instance (${app.database}) log ${app.logFile}, last lines:\n${tail(app.logFile)}`);
  await admin?.dispose();
  await app?.stop(failed);
});

async function signInOverHttp(request: APIRequestContext, who: { email: string; password: string }): Promise<void> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email: who.email, password: who.password, json: "true" } });
  expect(res.ok(), `sign-in as ${who.email} answered ${res.status()}`).toBeTruthy();
}

async function agentPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: app!.url });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(AGENT.email);
  await page.getByLabel("Password").fill(AGENT.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  return { context, page };
}

/** POST /api/test/clock as the admin; returns its JSON. */
async function moveClock(body: { advanceS?: number; setS?: number; sweep?: boolean }): Promise<{ offsetS: number; sweep?: { checked: number; warnings: number; breaches: number } }> {
  const res = await admin!.post("/api/test/clock", { data: body });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

test("a P1 ticket counts down, turns at risk, then breached, and the dashboard counts the breach", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await agentPage(browser);
  try {
    expect((await moveClock({ setS: 0 })).offsetS).toBe(0);

    // File a P1 ticket (as the agent, through the API the form uses) and open it.
    const word = uniqueWord("sla");
    const created = await page.request.post("/api/tickets", {
      data: { title: `Payment run stopped ${word}`, description: `The nightly payment run stopped with an error ${word}.`, email: "jo@example.test", priority: "P1" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { ticket } = (await created.json()) as { ticket: { key: string; priority: string; sla: { policy: string; state: string; activeTarget: string } | null } };
    expect(ticket.priority).toBe("P1");
    expect(ticket.sla).toMatchObject({ state: "on_track", activeTarget: "first_response" });

    await page.goto(`/tickets/${ticket.key}`);
    const countdown = page.getByTestId("sla-countdown");
    await expect(countdown).toHaveAttribute("data-sla-state", "on_track");
    await expect(countdown.getByTestId("sla-target-first_response")).toContainText("First response");
    await expect(countdown.getByTestId("sla-target-resolution")).toContainText("Resolution");
    const clock = countdown.getByTestId("sla-clock");
    await expect(clock).toHaveText(/^1[45]:\d\d\s*left$/);
    // It is live: the text changes on its own (ticks every second).
    const first = (await clock.textContent()) ?? "";
    await expect(clock).not.toHaveText(first);

    // The list: the badge says when the first response is due.
    const row = async () => {
      await page.goto(`/tickets?q=${ticket.key}`);
      return page.getByTestId("ticket-table").getByRole("row").filter({ hasText: ticket.key });
    };
    let badge = (await row()).getByTestId("sla-badge");
    await expect(badge).toHaveAttribute("data-sla-state", "on_track");
    await expect(badge).toContainText(/due in 1[45] min/);

    // +13 min: more than 80 % of the 15 minutes used → at risk.
    expect((await moveClock({ advanceS: 13 * 60 })).offsetS).toBe(780);
    badge = (await row()).getByTestId("sla-badge");
    await expect(badge).toHaveAttribute("data-sla-state", "at_risk");
    await expect(badge).toContainText(/due in ([12] min|\d+ s)/);
    await expect(badge).toContainText("SLA at risk: first response due in");
    // The SLA filter finds it.
    await page.goto("/tickets?sla=at_risk");
    await expect(page.getByTestId("ticket-table").getByRole("row").filter({ hasText: ticket.key })).toHaveCount(1);

    await page.goto(`/tickets/${ticket.key}`);
    await expect(countdown).toHaveAttribute("data-sla-state", "at_risk");
    await expect(countdown.getByTestId("sla-target-first_response")).toHaveAttribute("data-sla-state", "at_risk");
    await expect(clock).toHaveText(/^[0-2]:\d\d\s*left$/);

    // +3 min: past the due time → breached.
    expect((await moveClock({ advanceS: 3 * 60 })).offsetS).toBe(960);
    badge = (await row()).getByTestId("sla-badge");
    await expect(badge).toHaveAttribute("data-sla-state", "breached");
    await expect(badge).toContainText(/overdue [1-3] min/);
    await page.goto(`/tickets/${ticket.key}`);
    await expect(countdown).toHaveAttribute("data-sla-state", "breached");
    await expect(clock).toHaveText(/^−\d+:\d\d\s*overdue$/);
    await expect(countdown.getByTestId("sla-target-resolution")).toHaveAttribute("data-sla-state", "on_track");

    // Sorting by due time keeps the breached ticket on top (nothing else is due on this instance).
    await page.goto("/tickets?sort=due");
    await expect(page.getByTestId("ticket-table").getByRole("row").nth(1)).toContainText(ticket.key);

    // One breach sweep at the moved time (instead of waiting for the every-minute job), then the dashboard.
    const swept = await moveClock({ sweep: true });
    expect(swept.offsetS).toBe(960);
    expect(swept.sweep).toBeDefined();
    await page.goto("/dashboard");
    await expect(page.getByTestId("sla-breached")).toHaveText("1");
    await page.getByRole("link", { name: "Show breached tickets" }).click();
    await expect(page).toHaveURL(/\/tickets\?sla=breached/);
    await expect(page.getByTestId("ticket-table").getByRole("row").filter({ hasText: ticket.key }).getByTestId("sla-badge")).toHaveAttribute(
      "data-sla-state",
      "breached",
    );

    // Phone width: the list becomes cards; the due badge is in view without sideways scrolling.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`/tickets?q=${ticket.key}`);
    const narrowBadge = page.getByTestId("ticket-cards").getByRole("listitem").filter({ hasText: ticket.key }).getByTestId("sla-badge");
    await expect(narrowBadge).toBeVisible();
    await narrowBadge.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 200));
    await expect(narrowBadge).toBeInViewport({ ratio: 1 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expect(narrowBadge).toHaveAttribute("data-sla-state", "breached");
  } finally {
    await context.close();
  }
});
