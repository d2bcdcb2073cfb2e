import { expect, test } from "@playwright/test";
import { apiSignIn, expectAccessible, signIn, toNumber, uniqueWord, USERS } from "./helpers";

/*
 * Issue 12, views and the list: a view's count and the open list change live (no reload) when
 * a ticket arrives through the API; keyboard selection in the list; saving and deleting a
 * personal view; the list as cards at phone width without sideways scrolling; axe on /tickets.
 */

test("a new ticket shows up in the view counts and the open list without a reload", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("live");
  await signIn(page, "agent", "/tickets?view=unsolved");
  const count = page.getByRole("navigation", { name: "Views" }).getByTestId("view-count-unsolved");
  await expect(count).toBeVisible();
  await expect(page.getByRole("link", { name: /^All unsolved/ })).toHaveAttribute("aria-current", "page");
  const before = toNumber(await count.textContent());
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  const api = await playwright.request.newContext({ baseURL });
  let key: string;
  try {
    await apiSignIn(api, "agent");
    const r = await api.post("/api/tickets", {
      data: { title: `Scanner offline ${word}`, description: `The scanner on floor two is offline since this morning (${word}).`, email: USERS.requester.email, team: "service-desk" },
    });
    expect(r.status(), await r.text()).toBe(201);
    key = ((await r.json()) as { ticket: { key: string } }).ticket.key;
  } finally {
    await api.dispose();
  }

  // Newest first: the ticket appears at the top of the open list, and the count goes up.
  await expect(page.getByTestId("ticket-table").getByRole("link", { name: key, exact: true })).toBeVisible();
  await expect.poll(async () => toNumber(await count.textContent())).toBeGreaterThan(before);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  // Never opened by this agent: marked unread.
  await expect(page.getByTestId("ticket-table").getByRole("row").filter({ hasText: key }).getByTestId("unread")).toHaveText("unread");
});

test("keyboard: j moves the highlight, x selects (the bulk bar appears), Enter opens", async ({ page }) => {
  await signIn(page, "agent", "/tickets?view=unsolved");
  const rows = page.getByTestId("ticket-table").locator("tbody tr");
  const highlighted = page.getByTestId("ticket-table").locator('tbody tr[aria-current="true"]');
  await expect(rows.nth(2)).toBeVisible();
  // The rows are server-rendered: a key pressed before hydration attaches the shortcuts is lost,
  // so press j until a row is highlighted.
  await expect(async () => {
    if ((await highlighted.count()) === 0) await page.keyboard.press("j");
    await expect(highlighted).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  for (const k of ["k", "k", "k"]) await page.keyboard.press(k);
  await expect(rows.first()).toHaveAttribute("aria-current", "true");
  // Quick presses each count: two j in one task (no render between them) move two rows, since
  // each moves from the latest highlight, not the last render's.
  await page.evaluate(() => {
    for (let i = 0; i < 2; i++) document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
  });
  const third = rows.nth(2);
  await expect(third).toHaveAttribute("aria-current", "true");
  const key = (await third.getAttribute("data-ticket-key"))!;
  await page.keyboard.press("x");
  await expect(third.getByRole("checkbox")).toBeChecked();
  await expect(page.getByTestId("bulk-bar")).toBeVisible();
  await page.keyboard.press("k");
  await expect(rows.nth(1)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/tickets/${key}$`));
});

test("save the current filters as a personal view, then delete it", async ({ page }) => {
  const name = `Urgent ${uniqueWord("v")}`;
  await signIn(page, "agent", "/tickets?priority=P1,P2&status=new,open,in_progress,waiting&sort=priority");
  await expect(page.getByRole("heading", { level: 1, name: "Tickets" })).toBeVisible();
  await page.getByRole("button", { name: "Save as view" }).click();
  await page.getByLabel("View name").fill(name);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/view=[0-9a-f-]{36}/);
  const views = page.getByRole("navigation", { name: "Views" });
  await expect(views.getByRole("link", { name: new RegExp(name) })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("navigation", { name: "Sort tickets" }).getByRole("link", { name: "Priority" })).toHaveAttribute("aria-current", "true");
  await expectAccessible(page, "/tickets with a saved view");

  await views.getByRole("button", { name: `Delete view ${name}` }).click();
  await views.getByRole("button", { name: "Delete?" }).click();
  await expect(views.getByRole("link", { name: new RegExp(name) })).toHaveCount(0);
});

test("phone width: the list is cards with status, priority, assignee and age, and nothing scrolls sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "agent", "/tickets?view=unsolved");
  const cards = page.getByTestId("ticket-cards");
  await expect(cards).toBeVisible();
  await expect(page.getByTestId("ticket-table")).toBeHidden();
  const card = cards.getByRole("listitem").first();
  await expect(card.locator("time").first()).toBeVisible();
  await expect(card).toContainText(/New|Open|In progress|Waiting/);
  await expect(card).toContainText(/P[1-4]/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, "/tickets at 390 px");
});

test("/tickets opens the default view and passes axe", async ({ page }) => {
  await signIn(page, "agent", "/tickets");
  await expect(page.getByRole("heading", { level: 1, name: /^(My open|Unassigned in my teams|All unsolved)$/ })).toBeVisible();
  await expect(page.getByTestId("ticket-total")).toHaveText(/^[\d,]+\+? tickets?$/);
  await expectAccessible(page, "/tickets");
});
