import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiSignIn, expectAccessible, signIn, USERS, uniqueWord } from "./helpers";

/*
 * Issue 12, bulk actions and merge: an agent bulk-assigns three tickets to themself from the
 * list (selected by row checkboxes, summary in the bar, the assignee in the rows); on a ticket
 * page they tag it, link a related ticket and merge it into its primary (comments move, the
 * duplicate closes with a link both ways). axe on the ticket page with the new cards.
 */

async function file(api: APIRequestContext, title: string): Promise<string> {
  const r = await api.post("/api/tickets", {
    data: { title, description: `${title}: reported by several people on the second floor this morning.`, email: USERS.requester.email },
  });
  expect(r.status(), await r.text()).toBe(201);
  return ((await r.json()) as { ticket: { key: string } }).ticket.key;
}

test("bulk-assign three tickets from the list to me", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("bulk");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const me = ((await (await api.get("/api/auth/session")).json()) as { user: { name: string } }).user.name;
    const keys = [await file(api, `Docking station flickers ${word}`), await file(api, `Docking station dead ${word}`), await file(api, `Docking station noisy ${word}`)];

    await signIn(page, "agent", `/tickets?q=${word}`);
    const table = page.getByTestId("ticket-table");
    // Auto-assignment may have given them to someone else already; none is mine yet.
    for (const k of keys) await expect(table.getByRole("row").filter({ hasText: k })).not.toContainText(me);
    for (const k of keys) await table.getByRole("checkbox", { name: `Select ${k}`, exact: true }).check();

    const bar = page.getByTestId("bulk-bar");
    await expect(bar).toContainText("3 selected");
    await bar.getByLabel("Action").selectOption({ label: "Assign to" });
    await bar.getByLabel("Value").selectOption({ label: me });
    await bar.getByRole("button", { name: "Review" }).click();
    await expect(bar.getByTestId("bulk-confirm")).toContainText(`Assign to ${me} on 3 tickets?`);
    await bar.getByRole("button", { name: "Confirm" }).click();
    await expect(bar.getByRole("status")).toHaveText("3 updated, 0 failed");
    for (const k of keys) await expect(table.getByRole("row").filter({ hasText: k })).toContainText(me);
    await expectAccessible(page, "ticket list with the bulk bar and its summary");

    await bar.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("bulk-bar")).toHaveCount(0);
    for (const k of keys) {
      const t = (await (await api.get(`/api/tickets/${k}`)).json()) as { ticket: { assignee: { email: string } | null } };
      expect(t.ticket.assignee?.email).toBe(USERS.agent.email);
    }
  } finally {
    await api.dispose();
  }
});

test("tag, link and merge a duplicate from the ticket page", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("merge");
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const primary = await file(api, `Projector in room 4 shows no picture ${word}`);
    const dup = await file(api, `Room 4 projector blank ${word}`);
    const related = await file(api, `Room 4 HDMI cable missing ${word}`);
    const c = await api.post(`/api/tickets/${dup}/comments`, { data: { body: `Tried another laptop, same result (${word}).`, internal: true } });
    expect(c.status(), await c.text()).toBe(201);

    await signIn(page, "agent", `/tickets/${dup}`);
    // Tags: added normalised, shown as chips.
    await page.getByLabel("Add a tag").fill(" Projector ");
    await page.getByLabel("Add a tag").press("Enter");
    await expect(page.getByTestId("ticket-tags")).toContainText("projector");
    // Related link, shown on both tickets.
    const relatedCard = page.getByRole("region", { name: "Related tickets" });
    await relatedCard.getByLabel("Link a related ticket").fill(related.toLowerCase());
    await relatedCard.getByRole("button", { name: "Link", exact: true }).click();
    await expect(page.getByTestId("related-tickets")).toContainText(related);
    await expectAccessible(page, "ticket page with tags, related tickets and merge cards");

    // Merge into the primary, with a confirmation.
    const mergeCard = page.getByRole("region", { name: "Merge", exact: true });
    await mergeCard.getByLabel("Merge this ticket into…").fill(primary);
    await mergeCard.getByRole("button", { name: "Merge…" }).click();
    await expect(mergeCard.getByTestId("merge-confirm")).toContainText(`Merge ${dup} into ${primary}?`);
    await mergeCard.getByRole("button", { name: `Merge into ${primary}` }).click();
    await expect(page.getByTestId("merged-into")).toContainText(`Merged into ${primary}`);
    await expect(page.getByTestId("ticket-status")).toHaveText("Closed");
    await expect(page.getByText(`This request duplicates ${primary}`)).toBeVisible();
    await expectAccessible(page, "merged duplicate's page");

    await page.getByTestId("merged-into").getByRole("link", { name: primary }).click();
    await expect(page.getByTestId("merged-from")).toContainText(`Merged from ${dup}`);
    await expect(page.getByText(`Tried another laptop, same result (${word}).`)).toBeVisible();
    await expect(page.getByText(`Merged ${dup} into this ticket`)).toBeVisible();

    await page.goto(`/tickets/${related}`);
    await expect(page.getByTestId("related-tickets")).toContainText(dup);
  } finally {
    await api.dispose();
  }
});
