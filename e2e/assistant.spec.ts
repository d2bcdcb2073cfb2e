import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiSignIn, signIn, USERS, uniqueWord, expectAccessible } from "./helpers";

/*
 * The agent assistant in the desk (issue #11): the command bar (Ctrl+K) on a ticket page takes
 * and updates the ticket and the page under it shows the change without a reload; a bulk
 * command asks for confirmation, then reports per ticket; the per-ticket panel's suggested
 * reply goes into the reply box, is edited and sent as a public reply; requesters have no bar.
 * No LLM is configured for e2e: the deterministic grammar and the templates answer.
 */

const AGENT_NAME = "Sam Agent";


/** File a ticket for the demo requester through the API; returns its key. */
async function createTicket(api: APIRequestContext, title: string, description: string): Promise<string> {
  const res = await api.post("/api/tickets", { data: { title, description, email: USERS.requester.email } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { ticket: { key: string } }).ticket.key;
}

/** Type a command into the open command bar and wait for its answer; returns that exchange's result. */
async function ask(page: Page, command: string) {
  const bar = page.getByRole("dialog", { name: "Assistant" });
  const before = await bar.getByTestId("command-exchange").count();
  await bar.getByRole("textbox", { name: "Command" }).fill(command);
  await bar.getByRole("textbox", { name: "Command" }).press("Enter");
  const exchange = bar.getByTestId("command-exchange").nth(before);
  await expect(exchange).toContainText(command);
  const result = exchange.getByTestId("assistant-result");
  await expect(result).toBeVisible({ timeout: 30_000 });
  return result;
}

test("an agent takes and updates the ticket they look at from the command bar; the page follows without a reload", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("asst");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const key = await createTicket(api, `Docking station drops the monitor ${word}`, `The docking station on desk 4.12 drops the external monitor every few minutes (${word}).`);

    await signIn(page, "agent", `/tickets/${key}`);
    await expect(page.getByRole("heading", { level: 1, name: new RegExp(word) })).toBeVisible();
    // A marker that a full reload would lose.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    // The header button opens the dialog; Escape closes it and gives focus back.
    const opener = page.getByRole("button", { name: /Ask assistant/ });
    await opener.click();
    const bar = page.getByRole("dialog", { name: "Assistant" });
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute("aria-modal", "true");
    await expect(bar.getByRole("textbox", { name: "Command" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(bar).toHaveCount(0);
    await expect(opener).toBeFocused();

    // Ctrl+K opens it; focus stays inside while tabbing.
    await page.keyboard.press("Control+k");
    await expect(bar).toBeVisible();
    for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
    expect(await bar.evaluate((el) => el.contains(document.activeElement))).toBe(true);

    // "take it" means this ticket.
    const taken = await ask(page, "take it");
    await expect(taken).toHaveAttribute("data-ok", "true");
    const row = taken.getByTestId("assistant-ticket-row");
    await expect(row).toContainText(key);
    await expect(row).toContainText(AGENT_NAME);
    await expect(row.getByRole("link", { name: key })).toHaveAttribute("href", `/tickets/${key}`);
    await expect(page.getByText(`Assigned to ${AGENT_NAME}`, { exact: true })).toBeVisible();
    await expectAccessible(page, "ticket page with the command bar open");

    // A status change with a note.
    const updated = await ask(page, `update ${key} to in progress, checking the cable`);
    await expect(updated).toHaveAttribute("data-ok", "true");
    await expect(updated.getByTestId("assistant-ticket-row")).toContainText("In progress");
    await expect(page.getByTestId("ticket-status")).toHaveText("In progress");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("internal-note").filter({ hasText: "checking the cable" })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // Help examples fill the input.
    await page.keyboard.press("Control+k");
    const help = await ask(page, "help");
    const example = help.getByTestId("assistant-examples").getByRole("button").first();
    const exampleText = (await example.textContent())!.trim();
    await example.click();
    await expect(bar.getByRole("textbox", { name: "Command" })).toHaveValue(exampleText);

    // The exchange is in the agent's history, with its rendered result.
    await page.keyboard.press("Escape");
    await page.goto(`/assistant?ticket=${key}`);
    const conversations = page.getByTestId("assistant-conversations");
    await expect(conversations.getByRole("link").first()).toBeVisible();
    await conversations.getByRole("link", { name: "take it" }).click();
    await expect(page.getByTestId("assistant-messages")).toContainText("take it");
    await expect(page.getByTestId("assistant-messages").getByTestId("assistant-ticket-row").first()).toContainText(key);
    await expectAccessible(page, "assistant conversation page");
    await page.getByTestId("assistant-continue").click();
    const continued = page.getByRole("dialog", { name: "Assistant" });
    await expect(continued).toContainText("Continuing “take it”");
    await expect(continued.getByTestId("command-exchange").first()).toContainText("take it");
    await expect(continued.getByTestId("command-exchange").first().getByTestId("assistant-ticket-row")).toContainText(key);
  } finally {
    await api.dispose();
  }
});

test("a bulk command lists the tickets it will touch, runs after Confirm and reports per ticket", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("bulk");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const keys = [
      await createTicket(api, `Meeting room display blank ${word}`, `The display in meeting room 2.04 stays blank (${word}).`),
      await createTicket(api, `Meeting room speaker hums ${word}`, `The speaker in meeting room 2.05 hums loudly (${word}).`),
    ];

    // Both become the agent's, in progress (through the API's assistant: the same commands over HTTP).
    for (const key of keys) {
      for (const text of [`take ${key}`, `update ${key} to in progress`]) {
        const res = await api.post("/api/assistant", { data: { text } });
        expect(res.status(), await res.text()).toBe(200);
        expect(((await res.json()) as { ok: boolean }).ok, text).toBe(true);
      }
    }

    await signIn(page, "agent", "/tickets");
    await page.keyboard.press("Control+k");
    const bar = page.getByRole("dialog", { name: "Assistant" });
    const command = `close all my in progress tickets about ${word}`;

    // First Cancel: nothing changes.
    const first = (await ask(page, command)).getByTestId("assistant-confirm");
    await expect(first.getByTestId("assistant-ticket-row")).toHaveCount(2);
    await first.getByRole("button", { name: "Cancel" }).click();
    await expect(bar.getByText("Cancelled; nothing was changed.")).toBeVisible();
    await expect(first.getByRole("button", { name: "Confirm" })).toHaveCount(0);

    // Then Confirm: both closed, one line per ticket.
    const list = (await ask(page, command)).getByTestId("assistant-confirm");
    await expect(list.getByTestId("assistant-ticket-row")).toHaveCount(2);
    for (const key of keys) await expect(list).toContainText(key);
    await expectAccessible(page, "command bar with a bulk confirmation");
    await list.getByRole("button", { name: "Confirm" }).click();
    const bulk = bar.getByTestId("assistant-bulk");
    await expect(bulk.getByTestId("assistant-bulk-summary")).toHaveText("2 closed");
    for (const key of keys) await expect(bulk.getByRole("listitem").filter({ hasText: key })).toContainText("done");
    await expect(list.getByRole("button", { name: "Confirm" })).toHaveCount(0);
    for (const key of keys) {
      const res = await api.get(`/api/tickets/${key}`);
      expect(((await res.json()) as { ticket: { status: string } }).ticket.status).toBe("closed");
    }

    // Asked again, nothing matches any more.
    const again = await ask(page, command);
    await expect(again.getByTestId("assistant-confirm")).toHaveCount(0);
  } finally {
    await api.dispose();
  }
});

test("the admin assistant log lists exchanges with filters and a CSV export", async ({ page, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const asked = await api.post("/api/assistant", { data: { text: "how many P1 tickets this week?" } });
    expect(asked.status(), await asked.text()).toBe(200);
  } finally {
    await api.dispose();
  }

  // The newest exchange of the agent: question and answer in one row.
  await signIn(page, "admin", `/admin/assistant?actor=${encodeURIComponent(USERS.agent.email)}`);
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Assistant log" })).toHaveAttribute("aria-current", "page");
  const row = page.getByTestId("assistant-log-row").first();
  await expect(row).toContainText(AGENT_NAME);
  await expect(row).toContainText("how many P1 tickets this week?");
  await expect(row).toContainText("stats");
  await expect(row).toContainText("grammar");

  // Filtered by operation through the form; the export link carries the same filters.
  await page.getByLabel("Operation").fill("stats");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/op=stats/);
  await expect(page.getByTestId("assistant-log-row").first()).toContainText("stats");
  const exportLink = page.getByTestId("assistant-export-csv");
  await expect(exportLink).toHaveAttribute("href", /^\/api\/admin\/assistant\/messages\?format=csv&actor=agent%40example.com&op=stats$/);
  const csv = await page.request.get((await exportLink.getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("stats");
  await expectAccessible(page, "admin assistant log");
});

test("the per-ticket suggested reply goes into the reply box, is edited and sent as a public reply", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("sugg");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const key = await createTicket(api, `VPN disconnects every hour ${word}`, `My VPN connection drops every hour on the dot and I have to log in again (${word}).`);
    await signIn(page, "agent", `/tickets/${key}`);

    const suggested = page.getByTestId("suggested-reply");
    await expect(suggested).toBeVisible({ timeout: 30_000 });
    const text = (await suggested.textContent())!.trim();
    expect(text.length).toBeGreaterThan(10);
    await page.getByRole("button", { name: "Insert into reply" }).click();
    const box = page.getByRole("textbox", { name: "Reply" });
    await expect(box).toHaveValue(new RegExp(text.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const edited = `${await box.inputValue()}\n\nAlso checked on my side (${word}-edited).`;
    await box.fill(edited);
    await page.getByRole("button", { name: "Send reply" }).click();
    const reply = page.getByTestId("public-reply").filter({ hasText: `${word}-edited` });
    await expect(reply).toBeVisible();
    await expect(reply).toContainText(text.slice(0, 40));
  } finally {
    await api.dispose();
  }
});

test("at phone width the header keeps the assistant button without sideways scrolling, and the dialog fits", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "agent", "/tickets");
  const header = page.locator("header");
  expect(await header.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
  await page.getByRole("button", { name: /Ask assistant/ }).click();
  const result = await ask(page, "show my open tickets");
  await expect(result.getByTestId("assistant-total")).toContainText(/\d+ tickets?|\d[\d,]*\+ tickets/);
  const box = (await page.getByRole("dialog", { name: "Assistant" }).boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
});

test("requesters have no command bar and no assistant pages", async ({ page }) => {
  await signIn(page, "requester", "/requests");
  await expect(page.getByRole("button", { name: /Ask assistant/ })).toHaveCount(0);
  await page.keyboard.press("Control+k");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Assistant" })).toHaveCount(0);
  await page.goto("/assistant");
  await expect(page).toHaveURL(/\/requests$/);
  await page.goto("/admin/assistant");
  await expect(page).toHaveURL(/\/requests$/);
});
