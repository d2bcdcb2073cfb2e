import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiSignIn, expectAccessible, signIn, uniqueWord, USERS } from "./helpers";

/*
 * The requester portal (issue 12 §3): /requests filters open and closed tickets; a requester
 * marks their ticket solved and rates it once; /submit suggests agents' answers of similar
 * resolved tickets (never another requester's text) and "This solved my problem" files nothing.
 */

async function newTicket(api: APIRequestContext, data: { title: string; description: string; email: string }): Promise<string> {
  const r = await api.post("/api/tickets", { data });
  expect(r.status(), await r.text()).toBe(201);
  return ((await r.json()) as { ticket: { key: string } }).ticket.key;
}

test("a requester filters their requests, marks one solved and rates it once", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("portal");
  const title = `Docking station drops the second screen ${word}`;
  const agentApi = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(agentApi, "agent");
    const key = await newTicket(agentApi, {
      title,
      description: "My docking station stops sending a picture to the second screen after lunch every day.",
      email: USERS.requester.email,
    });

    // /requests: the open tab (default) lists it, the closed tab does not.
    await signIn(page, "requester", "/requests");
    const tabs = page.getByRole("navigation", { name: "Filter requests" });
    await expect(tabs.getByRole("link", { name: /^Open \d+$/ })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("request-list")).toContainText(key);
    await expectAccessible(page, "/requests, open tab");
    await tabs.getByRole("link", { name: /^Closed \d+$/ }).click();
    await expect(page).toHaveURL(/\/requests\?filter=closed$/);
    await expect(tabs.getByRole("link", { name: /^Closed \d+$/ })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText(key)).toHaveCount(0);

    // Mark it solved with a note.
    await page.goto(`/requests/${key}`);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByTestId("csat")).toHaveCount(0);
    await expectAccessible(page, "/requests/{key}, open");
    await page.getByLabel("How was it solved? (optional)").fill(`Swapped the cable ${word}`);
    await page.getByRole("button", { name: "Mark as solved" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("Resolved");
    await expect(page.getByText(`Swapped the cable ${word}`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Reopen request" })).toBeVisible();

    // Rate it: Good with a comment, then a thank-you instead of the form.
    await expectAccessible(page, "/requests/{key}, resolved with the rating form");
    const csat = page.getByTestId("csat");
    await csat.getByLabel("Good").check();
    await csat.getByLabel("Comment (optional)").fill(`Fast help ${word}`);
    await csat.getByRole("button", { name: "Send rating" }).click();
    await expect(page.getByTestId("csat-thanks")).toContainText("You rated this request Good");
    await expect(page.getByTestId("csat-thanks")).toContainText(`Fast help ${word}`);

    // A second visit shows the rating and no form.
    await page.goto(`/requests/${key}#rate`);
    await expect(page.getByTestId("csat-rating")).toHaveText("Good");
    await expect(page.getByLabel("Good")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Send rating" })).toHaveCount(0);
    await expectAccessible(page, "/requests/{key}, rated");

    // Now on the closed tab, not on the open one.
    await page.goto("/requests?filter=closed");
    await expect(page.getByTestId("request-list")).toContainText(key);
    await page.getByRole("navigation", { name: "Filter requests" }).getByRole("link", { name: /^Open \d+$/ }).click();
    await expect(page).toHaveURL(/\/requests$/);
    await expect(page.getByText(key)).toHaveCount(0);
  } finally {
    await agentApi.dispose();
  }
});

test("/submit suggests an agent's answer of a similar resolved ticket; 'This solved my problem' files nothing", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const secret = uniqueWord("private");
  const answer = uniqueWord("answer");
  const description = "The label printer in the warehouse prints blank labels since the driver update on Monday.";
  const agentApi = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(agentApi, "agent");
    // Another requester's resolved ticket, with a private word in their title and description.
    const other = await newTicket(agentApi, {
      title: `Warehouse label printer prints blank labels ${secret}`,
      description: `${description} Case ${secret}.`,
      email: "employee7@example.com",
    });
    const resolved = await agentApi.patch(`/api/tickets/${other}`, {
      data: { status: "resolved", resolution: `Reinstall the previous label printer driver from the software centre (${answer}).` },
    });
    expect(resolved.status(), await resolved.text()).toBe(200);

    await signIn(page, "requester", "/submit");
    await page.getByLabel("Title").fill("Label printer prints blank labels");
    await page.getByLabel("Description").fill(description);
    const item = page.getByTestId("deflection-item").filter({ hasText: answer });
    await expect(item).toBeVisible();
    await expect(page.getByRole("heading", { name: "Maybe this helps" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(secret);
    await expectAccessible(page, "/submit with a deflection suggestion");

    const counted = page.waitForResponse((r) => r.url().endsWith("/api/deflections") && r.request().method() === "POST");
    await item.getByRole("button", { name: "This solved my problem" }).click();
    expect((await counted).status()).toBe(201);
    await expect(page.getByTestId("deflection-thanks")).toContainText("No ticket was sent");
    await expect(page.getByTestId("submit-success")).toHaveCount(0);
  } finally {
    await agentApi.dispose();
  }
});
