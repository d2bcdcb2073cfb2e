import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, USERS } from "./helpers";

/*
 * Issue 12, search: a search with a typo in the ticket list finds the ticket, and the corrected
 * word is marked in its title and excerpt; axe on the results.
 */

/** A random letters-only word (typo correction only applies to words of letters). */
function letterWord(): string {
  const abc = "bcdfghjklmnpqrstvwxz";
  return Array.from({ length: 10 }, () => abc[Math.floor(Math.random() * abc.length)]).join("");
}

test("a typo in the search box finds the ticket and the match is highlighted", async ({ page }) => {
  test.setTimeout(120_000);
  const word = letterWord();
  // A dropped letter: one edit away, absent from the vocabulary.
  const typo = word.slice(0, 4) + word.slice(5);
  await signIn(page, "agent", "/tickets?view=unsolved");
  const r = await page.request.post("/api/tickets", {
    data: { title: `Badge reader ${word} rejects cards`, description: `Since Monday the ${word} badge reader at the loading dock rejects every card.`, email: USERS.requester.email },
  });
  expect(r.status(), await r.text()).toBe(201);
  const key = ((await r.json()) as { ticket: { key: string } }).ticket.key;

  await page.goto("/tickets");
  const search = page.getByRole("search", { name: "Filter tickets" }).getByLabel("Search");
  await search.fill(`${typo} reader`);
  await search.press("Enter");
  await page.waitForURL((u) => u.searchParams.get("q") === `${typo} reader`);

  const row = page.getByTestId("ticket-table").getByRole("row").filter({ hasText: key });
  await expect(row).toBeVisible();
  // Title and excerpt mark the corrected word (and "reader"), as <mark> elements.
  await expect(row.locator("mark").filter({ hasText: word })).toHaveCount(2);
  await expect(row.locator("mark").filter({ hasText: "reader" }).first()).toBeVisible();
  await expectAccessible(page, "ticket search results");
});
