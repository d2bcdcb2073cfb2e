import { expect, test } from "@playwright/test";
import { apiSignIn, signIn, USERS, uniqueWord, expectAccessible } from "./helpers";

/*
 * The ticket lifecycle in the UI (issue #6 §2): an agent sets "Waiting on: Third party" in the
 * properties form and sees it beside the status badge; a requester's reply on the closed
 * ticket files a follow-up, and both tickets link each other on the agent's and the
 * requester's pages. (The reply rules themselves: e2e/lifecycle.spec.ts and tests/api/lifecycle.test.ts.)
 */


test("an agent sets the waiting reason; follow-ups link both ways for agents and requesters", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("lcui");
  const title = `Badge reader at the side door ${word}`;

  const agentApi = await playwright.request.newContext({ baseURL });
  const requesterApi = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(agentApi, "agent");
    await apiSignIn(requesterApi, "requester");
    const created = await agentApi.post("/api/tickets", {
      data: { title, description: "The badge reader at the side door blinks red for every badge since this morning.", email: USERS.requester.email },
    });
    expect(created.status(), await created.text()).toBe(201);
    const key = ((await created.json()) as { ticket: { key: string } }).ticket.key;

    // 1. The agent moves it to waiting on a third party.
    await signIn(page, "agent", `/tickets/${key}`);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByLabel("Waiting on")).toHaveCount(0);
    await page.getByLabel("Status", { exact: true }).selectOption("waiting");
    const reason = page.getByLabel("Waiting on");
    await expect(reason).toHaveValue("requester");
    await reason.selectOption({ label: "Third party" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${key} updated.` })).toBeVisible();
    await expect(page.getByTestId("ticket-status")).toHaveText("Waiting");
    await expect(page.getByTestId("waiting-reason")).toHaveText("Waiting on third party");
    await expectAccessible(page, "agent ticket page, waiting");

    // 2. The reason alone changes back to the requester.
    await expect(page.getByLabel("Waiting on")).toHaveValue("third_party");
    await page.getByLabel("Waiting on").selectOption({ label: "Requester" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("waiting-reason")).toHaveText("Waiting on requester");

    // 3. The list shows the reason in the status cell.
    await page.goto(`/tickets?q=${word}`);
    await expect(page.getByTestId("ticket-table").getByRole("row").filter({ hasText: key })).toContainText("Waiting · requester");
    await expectAccessible(page, "ticket list with a waiting ticket");

    // 4. Closed, then the requester replies: a follow-up linked both ways.
    const closed = await agentApi.patch(`/api/tickets/${key}`, { data: { status: "closed" } });
    expect(closed.status(), await closed.text()).toBe(200);
    const replied = await requesterApi.post(`/api/tickets/${key}/comments`, { data: { body: `The reader blinks red again (${word}).` } });
    expect(replied.status(), await replied.text()).toBe(201);
    const followUp = ((await replied.json()) as { followUp: { key: string } }).followUp.key;

    await page.goto(`/tickets/${key}`);
    await expect(page.getByTestId("waiting-reason")).toHaveCount(0);
    await expect(page.getByTestId("follow-ups")).toHaveText(`Follow-ups: ${followUp}`);
    await expectAccessible(page, "agent ticket page with follow-ups");
    await page.getByTestId("follow-ups").getByRole("link", { name: followUp }).click();
    await expect(page).toHaveURL(new RegExp(`/tickets/${followUp}$`));
    await expect(page.getByTestId("follow-up-of")).toHaveText(`Follow-up of ${key}`);

    const requesterContext = await browser.newContext();
    try {
      const rp = await requesterContext.newPage();
      await signIn(rp, "requester", `/requests/${followUp}`);
      await expect(rp.getByTestId("follow-up-of")).toHaveText(`Follow-up of ${key}`);
      await rp.getByTestId("follow-up-of").getByRole("link", { name: key }).click();
      await expect(rp).toHaveURL(new RegExp(`/requests/${key}$`));
      await expect(rp.getByTestId("follow-ups")).toHaveText(`Follow-ups: ${followUp}`);
      await expectAccessible(rp, "requester page with follow-ups");
    } finally {
      await requesterContext.close();
    }
  } finally {
    await agentApi.dispose();
    await requesterApi.dispose();
  }
});
