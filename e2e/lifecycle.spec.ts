import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiSignIn, signIn, uniqueWord } from "./helpers";

/*
 * One ticket lifecycle, as the requester sees it in the portal (issue #6 §2; the rules are
 * lib/tickets/lifecycle.ts, tested through the API in tests/api/lifecycle.test.ts): an agent
 * moves the requester's ticket (over the API, in its own session) and the requester answers
 * in /requests/<key>.
 *   waiting  + reply → open
 *   resolved + reply (within REOPEN_WINDOW_DAYS) → reopened
 *   closed   + reply → a follow-up request, linked to the old one, listed in /requests
 */

test.describe.configure({ mode: "serial" });

async function setStatus(agent: APIRequestContext, key: string, body: Record<string, unknown>): Promise<void> {
  const res = await agent.patch(`/api/tickets/${key}`, { data: body });
  expect(res.status(), `PATCH ${key} ${JSON.stringify(body)}: ${await res.text()}`).toBe(200);
  expect(((await res.json()) as { ticket: { status: string } }).ticket.status).toBe(body.status);
}

/** Post a public reply from the requester's page and wait for the form's confirmation. */
async function reply(page: Page, text: string, expected: RegExp): Promise<void> {
  await page.getByLabel("Reply", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByRole("status").filter({ hasText: expected })).toBeVisible();
}

test("a requester's replies reopen a waiting or resolved request and turn a reply on a closed one into a follow-up", async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const word = uniqueWord("lc");
  const title = `Docking station flickers ${word}`;

  // The requester files a ticket, signed in.
  await signIn(page, "requester", "/submit");
  await expect(page).toHaveURL(/\/submit$/);
  await page.getByLabel("Title").fill(title);
  await page
    .getByLabel("Description", { exact: true })
    .fill("My second monitor flickers and goes black every few minutes when the laptop is on the docking station.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  const keyEl = page.getByTestId("created-key");
  await expect(keyEl).toHaveText(/^T-\d+$/);
  const key = (await keyEl.textContent())!.trim();

  const agent = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(agent, "agent");

    // 1. Waiting on the requester: their reply moves it back to open.
    await setStatus(agent, key, { status: "waiting", waitingReason: "requester" });
    await page.goto(`/requests/${key}`);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const status = page.getByTestId("request-status");
    await expect(status).toHaveText("Waiting");
    await reply(page, `It flickers with the other cable too (${word}).`, /^Reply sent\. The request is open again\.$/);
    await expect(status).toHaveText("Open");
    await page.reload();
    await expect(status).toHaveText("Open");
    await expect(page.getByText(`It flickers with the other cable too (${word}).`)).toBeVisible();

    // 2. Resolved moments ago (well within REOPEN_WINDOW_DAYS): the reply reopens it.
    await setStatus(agent, key, { status: "resolved", resolution: "Replaced the docking station's DisplayPort cable." });
    await page.reload();
    await expect(status).toHaveText("Resolved");
    await expect(page.getByText("Replaced the docking station's DisplayPort cable.")).toBeVisible();
    await reply(page, `Sorry, it started again this afternoon (${word}).`, /The request is open again\./);
    await expect(status).toHaveText("Open");
    const reopened = (await (await agent.get(`/api/tickets/${key}`)).json()) as { ticket: { status: string; resolvedAt: string | null } };
    expect(reopened.ticket).toMatchObject({ status: "open", resolvedAt: null });

    // 3. Closed: the page still takes a reply, and files it as a new request linked to this one.
    await setStatus(agent, key, { status: "closed" });
    await page.reload();
    await expect(status).toHaveText("Closed");
    await expect(page.getByTestId("closed-note")).toBeVisible();
    const followUpText = `The flicker is back after the new laptop arrived (${word}).`;
    await reply(page, followUpText, new RegExp(`^${key} is closed, so your reply was filed as a new request, T-\\d+\\.$`));
    const message = await page.getByRole("status").filter({ hasText: "filed as a new request" }).textContent();
    const followUp = /(T-\d+)\.$/.exec(message!.trim())![1];
    expect(followUp).not.toBe(key);
    await expect(status).toHaveText("Closed");

    const f = (await (await agent.get(`/api/tickets/${followUp}`)).json()) as {
      ticket: { followUpOf: string; email: string; title: string; description: string; status: string };
    };
    expect(f.ticket).toMatchObject({ followUpOf: key, email: "requester@example.com", title: `Follow-up: ${title}`, status: "new" });
    expect(f.ticket.description).toContain(followUpText);

    // The follow-up is in the requester's list, under its own key, and opens as theirs.
    await page.goto("/requests");
    const row = page.getByTestId("request-list").getByRole("listitem").filter({ hasText: `Follow-up: ${title}` });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("New");
    const item = row.getByRole("link");
    await expect(item).toHaveText(`${followUp}Follow-up: ${title}`);
    await item.click();
    await expect(page).toHaveURL(new RegExp(`/requests/${followUp}$`));
    await expect(page.getByRole("heading", { level: 1, name: `Follow-up: ${title}` })).toBeVisible();
    await expect(page.getByTestId("request-status")).toHaveText("New");
    await expect(page.getByText(followUpText)).toBeVisible();
  } finally {
    await agent.dispose();
  }
});
