import { expect, test } from "@playwright/test";
import { apiSignIn, signIn, USERS, uniqueWord, expectAccessible, chooseCommentMode } from "./helpers";

/*
 * The per-ticket assistant panel (issue #11 §3) with no LLM (templates): a similar resolved
 * ticket shows with its resolution, the suggested reply cites it with a link, and "Insert into
 * reply" appends the reply to what the agent already typed, unticks "Internal note" and
 * focuses the box, without sending anything. (Editing and sending: e2e/assistant.spec.ts.)
 */
test("the assistant panel suggests a known fix and inserts it into the reply box without sending", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("tap");
  const title = `Plotter in the map room prints blank sheets ${word}`;
  const description = "The large plotter in the map room feeds paper but every sheet comes out blank since the cartridge change.";
  const fix = `Reseated the plotter print head and ran the cleaning cycle (${word}).`;
  const api = await playwright.request.newContext({ baseURL });
  try {
    await apiSignIn(api, "agent");
    const file = async () => {
      const r = await api.post("/api/tickets", { data: { title, description, email: USERS.requester.email } });
      expect(r.status(), await r.text()).toBe(201);
      return ((await r.json()) as { ticket: { key: string } }).ticket.key;
    };
    const solved = await file();
    const resolved = await api.patch(`/api/tickets/${solved}`, { data: { status: "resolved", resolution: fix } });
    expect(resolved.status(), await resolved.text()).toBe(200);
    const key = await file();

    await signIn(page, "agent", `/tickets/${key}`);
    const similar = page.getByTestId("similar-resolved");
    await expect(similar).toBeVisible({ timeout: 30_000 });
    await expect(similar.getByRole("link", { name: solved, exact: true })).toHaveAttribute("href", `/tickets/${solved}`);
    await expect(similar).toContainText(fix);
    const suggested = page.getByTestId("suggested-reply");
    await expect(suggested).toContainText(`A similar issue (${solved}) was fixed by: ${fix}`);
    await expect(page.getByTestId("suggested-reply-citations").getByRole("link", { name: solved, exact: true })).toBeVisible();
    await expect(page.getByTestId("next-actions")).toContainText(`resolve ${key}, ${fix}`);
    await expect(page.getByRole("link", { name: "Assistant history for this ticket" })).toHaveAttribute("href", `/assistant?ticket=${key}`);

    await chooseCommentMode(page, "note");
    const note = page.getByRole("textbox", { name: "Note for agents" });
    await note.fill("Draft line");
    await page.getByRole("button", { name: "Insert into reply" }).click();
    const box = page.getByRole("textbox", { name: "Reply" });
    await expect(page.getByLabel("Internal note")).not.toBeChecked();
    await expect(box).toBeFocused();
    const value = await box.inputValue();
    expect(value.startsWith("Draft line\n\nHello ")).toBe(true);
    expect(value).toContain(`A similar issue (${solved}) was fixed by: ${fix}`);
    await expect(page.getByText("0 entries")).toBeVisible(); // nothing was sent

    await expectAccessible(page, "ticket page with the assistant panel");
  } finally {
    await api.dispose();
  }
});
