import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiSignIn, expectAccessible, signIn, USERS, uniqueWord } from "./helpers";

/*
 * Issue 12, the ticket page: a macro inserted from the composer's search fills the box with the
 * requester's name and stages its field change (applied on send); a keyboard-only triage (`?`
 * overlay, Escape, `a` assign to me, `n` note + Ctrl+Enter, `s` status); the requester panel;
 * axe on the ticket page and /admin/macros.
 */

async function file(api: APIRequestContext, title: string): Promise<string> {
  const r = await api.post("/api/tickets", {
    data: { title, description: `${title}: it started this morning and nobody on the floor can work.`, email: USERS.requester.email, priority: "P4" },
  });
  expect(r.status(), await r.text()).toBe(201);
  return ((await r.json()) as { ticket: { key: string } }).ticket.key;
}

async function sessionName(api: APIRequestContext): Promise<string> {
  return ((await (await api.get("/api/auth/session")).json()) as { user: { name: string } }).user.name;
}

test("a macro inserted from the composer's search fills the text and applies its field change on send", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("macro");
  const admin = await playwright.request.newContext({ baseURL });
  const agent = await playwright.request.newContext({ baseURL });
  const requester = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(admin, "admin");
    await apiSignIn(agent, "agent");
    await apiSignIn(requester, "requester");
    const requesterName = await sessionName(requester);
    const name = `Monitor swap ${word}`;
    const created = await admin.post("/api/macros", {
      data: { name, body: `Hello {{requester.name}}, we are swapping your monitor for {{ticket.key}} (${word}).`, shared: true, actions: { priority: "P2" } },
    });
    expect(created.status(), await created.text()).toBe(201);
    const key = await file(agent, `Monitor stays black ${word}`);

    await signIn(page, "agent", `/tickets/${key}`);
    await expect(page.getByTestId("requester-panel")).toContainText(USERS.requester.email);
    await page.getByRole("button", { name: "Insert macro" }).click();
    const search = page.getByRole("combobox", { name: "Search macros" });
    await expect(search).toBeFocused();
    await search.fill(word);
    await expect(page.getByRole("option", { name: new RegExp(name) })).toHaveAttribute("aria-selected", "true");
    await expectAccessible(page, "ticket page with the macro search open");
    await search.press("Enter");

    const box = page.getByRole("textbox", { name: "Reply", exact: true });
    await expect(box).toHaveValue(`Hello ${requesterName}, we are swapping your monitor for ${key} (${word}).`);
    await expect(page.getByTestId("staged-changes")).toContainText("Priority → P2 · High");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Reply sent to the requester." })).toBeVisible();
    await expect(page.getByTestId("staged-changes")).toHaveCount(0);
    const t = (await (await agent.get(`/api/tickets/${key}`)).json()) as { ticket: { priority: string }; comments: { body: string }[] };
    expect(t.ticket.priority).toBe("P2");
    expect(t.comments.map((c) => c.body)).toContain(`Hello ${requesterName}, we are swapping your monitor for ${key} (${word}).`);
    await expectAccessible(page, "ticket page with the composer, requester panel and assign to me");

    // The admin page lists it with its use.
    const adminPage = await (await browser.newContext({ baseURL })).newPage();
    await signIn(adminPage, "admin", "/admin/macros");
    await expect(adminPage.getByTestId("macro-table").getByRole("row").filter({ hasText: name }).getByRole("cell").nth(1)).toHaveText("1");
    await expectAccessible(adminPage, "/admin/macros");
    await adminPage.context().close();
    await admin.delete(`/api/macros/${((await created.json()) as { macro: { id: string } }).macro.id}`);
  } finally {
    await Promise.all([admin.dispose(), agent.dispose(), requester.dispose()]);
  }
});

test("keyboard-only triage: ? overlay, a assigns to me, n note, s status", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("keys");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const me = await sessionName(api);
    const key = await file(api, `Badge reader rejects everyone ${word}`);
    await signIn(page, "agent", `/tickets/${key}`);
    await expect(page.getByRole("button", { name: "Assign to me" })).toBeVisible();

    // The button is server-rendered: a key pressed before hydration attaches the shortcut
    // handler is lost, so press again until the overlay opens.
    const overlay = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(async () => {
      if (!(await overlay.isVisible())) await page.keyboard.press("?");
      await expect(overlay).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    for (const d of ["Reply to the requester", "Add an internal note", "Assign to me", "Change the status"]) await expect(overlay).toContainText(d);
    await expectAccessible(page, "keyboard shortcuts overlay");
    await page.keyboard.press("Escape");
    await expect(overlay).toHaveCount(0);

    await page.keyboard.press("a");
    await expect(page.getByText(`Assigned to ${me}`, { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Assign to me" })).toHaveCount(0);

    await page.keyboard.press("n");
    const note = page.getByRole("textbox", { name: "Note for agents" });
    await expect(note).toBeFocused();
    const text = `Reader firmware looks stale (${word}).`;
    await page.keyboard.type(text);
    await page.keyboard.press("Control+Enter");
    await expect(page.getByRole("status").filter({ hasText: "Internal note added." })).toBeVisible();
    await expect(page.getByTestId("internal-note").filter({ hasText: text })).toBeVisible();

    await page.keyboard.press("Escape");
    await page.keyboard.press("s");
    const status = page.locator('[data-shortcut-target="status"]');
    await expect(status).toBeFocused();
    await page.keyboard.type("w");
    await expect(status).toHaveValue("waiting");
    const save = page.getByRole("button", { name: "Save changes" });
    for (let i = 0; i < 12 && !(await save.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(save).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("ticket-status")).toContainText("Waiting");

    const t = (await (await api.get(`/api/tickets/${key}`)).json()) as { ticket: { status: string; assignee: { email: string } | null } };
    expect(t.ticket.status).toBe("waiting");
    expect(t.ticket.assignee?.email).toBe(USERS.agent.email);
  } finally {
    await api.dispose();
  }
});

test("send and set to Resolved: the reply and the status change land together", async ({ page, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const word = uniqueWord("solve");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const key = await file(api, `Shared drive is read-only ${word}`);
    await signIn(page, "agent", `/tickets/${key}`);
    await page.getByRole("textbox", { name: "Reply", exact: true }).fill(`Permissions fixed (${word}).`);
    await page.getByRole("button", { name: "Send and set to Resolved" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${key} is now Resolved.` })).toBeVisible();
    await expect(page.getByTestId("ticket-status")).toContainText("Resolved");
  } finally {
    await api.dispose();
  }
});
