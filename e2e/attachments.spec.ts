import { expect, test, type APIRequestContext, type Browser, type Locator, type Page } from "@playwright/test";
import { apiSignIn, signIn, USERS, uniqueWord, expectAccessible, chooseCommentMode } from "./helpers";

/*
 * Ticket attachments in the UI: files upload from /submit and the reply forms straight to the
 * file store (presigned PUT, progress bar), are checked by the server, and show on the ticket
 * pages: images previewed through the presigned GET (CSP img-src), other files as downloads.
 * Files of internal notes never reach the requester, not even by id. A sheet finding drafts a
 * ticket on /submit that links back to the upload; the serial history panel shows the units a
 * ticket mentions.
 */

/** A valid 1×1 PNG (RGBA, one transparent pixel). */
const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");


/** A signed-in page in its own browser context (its own cookies). */
async function pageFor(browser: Browser, baseURL: string | undefined, who: keyof typeof USERS, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, who, path);
  return page;
}

/** The chosen-file row of `name` in a picker. */
function uploadRow(scope: Page | Locator, name: string): Locator {
  return scope.getByTestId("attachment-upload").filter({ hasText: name });
}

/** Width in pixels of the decoded image: > 0 only when the browser really fetched and decoded it. */
async function naturalWidth(img: Locator): Promise<number> {
  await img.scrollIntoViewIfNeeded();
  return img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
}

/** GET an attachment link's href (following the 302 to the file store) and return status and body. */
async function download(request: APIRequestContext, href: string): Promise<{ status: number; body: Buffer }> {
  const res = await request.get(href, { failOnStatusCode: false });
  return { status: res.status(), body: await res.body() };
}

/** The upload id in an attachment link (/api/uploads/<id>/download). */
async function uploadIdOf(link: Locator): Promise<string> {
  const href = (await link.getAttribute("href")) ?? "";
  const m = /\/api\/uploads\/([0-9a-f-]{36})\/download/.exec(href);
  expect(m, `attachment href ${href}`).not.toBeNull();
  return m![1];
}

test("files travel with a ticket and its replies; internal notes' files stay with the agents", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const word = uniqueWord("att");
  const title = `Label printer prints blank labels ${word}`;
  const logText = `2026-05-01T08:00:00Z ERROR printer: ribbon sensor timeout (${word})\n2026-05-01T08:00:05Z WARN retrying job 42\n`;
  const replyText = `Please run the attached test page (${word}).`;
  const noteText = `Vendor case notes, agents only (${word}).`;

  // 1. The requester files a ticket with a screenshot and a log. The PUTs to the file store are
  //    held back a moment so the progress bars are seen, and "Submit ticket" waits for them.
  await signIn(page, "requester", "/submit");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description", { exact: true }).fill("Since this morning every label comes out blank; the log and a photo are attached.");
  const appOrigin = new URL(baseURL!).origin;
  let heldPuts = 0;
  const toFileStore = (url: URL) => url.origin !== appOrigin;
  await page.route(
    toFileStore,
    async (route) => {
      if (route.request().method() !== "PUT") return route.fallback();
      heldPuts += 1;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    },
  );
  await page.getByLabel("Attachments (optional)").setInputFiles([
    { name: "label.png", mimeType: "image/png", buffer: PNG_1X1 },
    { name: "printer.log", mimeType: "text/plain", buffer: Buffer.from(logText) },
  ]);
  await expect(page.getByRole("progressbar", { name: "Upload of label.png" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Upload of printer.log" })).toBeVisible();
  await expect(uploadRow(page, "printer.log")).toContainText(`${logText.length} bytes`);
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByRole("button", { name: "Waiting for uploads…" })).toBeVisible();
  const keyEl = page.getByTestId("created-key");
  await expect(keyEl).toHaveText(/^T-\d+$/, { timeout: 20_000 });
  const key = (await keyEl.textContent())!.trim();
  await expect(page.getByTestId("submit-success")).toContainText("2 files attached.");
  expect(heldPuts).toBe(2);
  await page.unroute(toFileStore);

  // 2. An agent sees both: the image decodes (presigned GET allowed by CSP img-src), the log downloads byte for byte.
  const agent = await pageFor(browser, baseURL, "agent", `/tickets/${key}`);
  try {
    await expect(agent.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const files = agent.getByTestId("ticket-attachments");
    const img = files.getByRole("img", { name: "label.png" });
    await expect(img).toBeVisible();
    await expect.poll(() => naturalWidth(img), { message: "the preview image loads" }).toBeGreaterThan(0);
    const logLink = files.getByRole("link", { name: "printer.log" });
    await expect(logLink).toBeVisible();
    const got = await download(agent.request, (await logLink.getAttribute("href"))!);
    expect(got.status).toBe(200);
    expect(got.body.toString("utf8")).toBe(logText);
    // The first answer is the redirect to a presigned URL on the file store.
    const first = await agent.request.get((await logLink.getAttribute("href"))!, { maxRedirects: 0 });
    expect(first.status()).toBe(302);
    expect(first.headers().location).toMatch(/X-Amz-Signature=/);
    await expectAccessible(agent, "agent ticket page with attachments");

    // 3. A public reply with a file, then an internal note with a file.
    await agent.getByLabel("Reply", { exact: true }).fill(replyText);
    await agent.getByLabel("Attach files (optional)").setInputFiles({ name: "test-page.txt", mimeType: "text/plain", buffer: Buffer.from(`test page ${word}\n`) });
    await expect(uploadRow(agent, "test-page.txt")).toHaveAttribute("data-status", "done");
    await agent.getByRole("button", { name: "Send reply" }).click();
    await expect(agent.getByRole("status").filter({ hasText: "Reply sent to the requester." })).toBeVisible();
    const reply = agent.getByTestId("public-reply").filter({ hasText: replyText });
    await expect(reply.getByRole("link", { name: "test-page.txt" })).toBeVisible();
    await expect(agent.getByTestId("attachment-uploads").getByTestId("attachment-upload")).toHaveCount(0); // the picker is cleared

    await chooseCommentMode(agent, "note");
    await agent.getByLabel("Note for agents").fill(noteText);
    await agent.getByLabel("Attach files to the note (optional)").setInputFiles({ name: "vendor-case.txt", mimeType: "text/plain", buffer: Buffer.from("case 123\n") });
    await expect(uploadRow(agent, "vendor-case.txt")).toHaveAttribute("data-status", "done");
    await agent.getByRole("button", { name: "Add internal note" }).click();
    await expect(agent.getByRole("status").filter({ hasText: "Internal note added." })).toBeVisible();
    const noteLink = agent.getByTestId("internal-note").filter({ hasText: noteText }).getByRole("link", { name: "vendor-case.txt" });
    await expect(noteLink).toBeVisible();
    const noteUploadId = await uploadIdOf(noteLink);
    await expect(agent.getByTestId("ticket-attachments")).toContainText("with an internal note by");

    // 4. The requester sees the reply's file under the reply, and nothing of the note's file.
    await page.goto(`/requests/${key}`);
    const theirReply = page.getByTestId("public-reply").filter({ hasText: replyText });
    const replyLink = theirReply.getByRole("link", { name: "test-page.txt" });
    await expect(replyLink).toBeVisible();
    expect((await download(page.request, (await replyLink.getAttribute("href"))!)).body.toString("utf8")).toBe(`test page ${word}\n`);
    await expect(page.getByTestId("ticket-attachments").getByRole("img", { name: "label.png" })).toBeVisible();
    await expect(page.getByText("vendor-case.txt")).toHaveCount(0);
    await expect(page.getByText(noteText)).toHaveCount(0);
    expect((await page.request.get(`/api/uploads/${noteUploadId}/download`, { failOnStatusCode: false })).status()).toBe(404);
    expect((await page.request.get(`/api/uploads/${noteUploadId}`, { failOnStatusCode: false })).status()).toBe(404);
    await expectAccessible(page, "requester page with attachments");

    // 5. The requester replies with a file too: the agent sees it under that reply.
    const theirText = `Test page attached as asked (${word}).`;
    await page.getByLabel("Reply", { exact: true }).fill(theirText);
    await page.getByLabel("Attach files (optional)").setInputFiles({ name: "scan.png", mimeType: "image/png", buffer: PNG_1X1 });
    await expect(uploadRow(page, "scan.png")).toHaveAttribute("data-status", "done");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Reply sent." })).toBeVisible();
    await agent.reload();
    const scan = agent.getByTestId("public-reply").filter({ hasText: theirText }).getByRole("img", { name: "scan.png" });
    await expect.poll(() => naturalWidth(scan)).toBeGreaterThan(0);
  } finally {
    await agent.context().close();
  }
});

test("a file that is not what it claims is refused with a message; anonymous visitors are asked to sign in", async ({ page, browser, baseURL }) => {
  // Anonymous: no file input, a sign-in hint instead.
  const anon = await browser.newContext({ baseURL });
  try {
    const p = await anon.newPage();
    await p.goto("/submit");
    await expect(p.getByRole("link", { name: "Sign in to attach files" })).toBeVisible();
    await expect(p.getByLabel("Attachments (optional)")).toHaveCount(0);
  } finally {
    await anon.close();
  }

  await signIn(page, "requester", "/submit");
  const word = uniqueWord("fake");
  await page.getByLabel("Attachments (optional)").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from(`not a picture at all, just text ${word}\n`) });
  const row = uploadRow(page, "photo.png");
  await expect(row).toHaveAttribute("data-status", "error");
  await expect(row).toContainText("announced as image/png");
  await expect(row).toContainText("Not attached");

  // Sending with the refused file still listed: the form says so instead of dropping it silently.
  await page.getByLabel("Title").fill(`Fake picture ${word}`);
  await page.getByLabel("Description", { exact: true }).fill("A file that claims to be a PNG but is text.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "One file could not be attached" })).toBeVisible();
  await expect(page.getByTestId("created-key")).toHaveCount(0);
  await expectAccessible(page, "/submit with a refused file");

  // Removing it lets the ticket go, without attachments.
  await page.getByRole("button", { name: "Remove photo.png" }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByTestId("created-key")).toHaveText(/^T-\d+$/);
  await expect(page.getByTestId("submit-success")).not.toContainText("attached");
});

test("a sheet finding drafts a ticket that links back to the upload; the ticket shows the serial history", async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const word = uniqueWord("fnd");
  const serial = `SN${word.slice(-8).toUpperCase()}`;
  const lot = `L${word.slice(-4)}`;
  const sheet = [
    "GTIN,Serial No.,Batch,Exp. date,Event,Event time,Location",
    `09506000134352,${serial},${lot},271231,commissioned,2026-01-10T08:00:00Z,Plant A`,
    `09506000134352,${serial},${lot},271231,shipped,2026-02-01T10:30:00Z,DC North`,
    `09506000134353,${serial}B,L1,271231,commissioned,2026-01-10T08:00:00Z,Plant A`, // invalid_gtin (check digit)
  ].join("\n");

  // An agent uploads a serial sheet over the API and waits for its findings.
  const api = await playwright.request.newContext({ baseURL });
  let uploadId: string;
  let seq: number;
  try {
    await apiSignIn(api, "agent");
    const bytes = Buffer.from(sheet);
    const created = await api.post("/api/uploads", { data: { filename: `serials-${word}.csv`, contentType: "text/csv", size: bytes.length, kind: "serials" } });
    expect(created.status(), await created.text()).toBe(201);
    const c = (await created.json()) as { id: string; url: string; headers: Record<string, string> };
    uploadId = c.id;
    expect((await api.put(c.url, { headers: c.headers, data: bytes })).ok()).toBeTruthy();
    expect((await api.post(`/api/uploads/${uploadId}/complete`, { data: {} })).status()).toBe(202);
    await expect
      .poll(async () => ((await (await api.get(`/api/uploads/${uploadId}`)).json()) as { status: string }).status, { timeout: 60_000 })
      .toBe("done");
    const findings = (await (await api.get(`/api/uploads/${uploadId}/findings`)).json()) as { items: { seq: number; code: string }[] };
    const f = findings.items.find((x) => x.code === "invalid_gtin");
    expect(f, JSON.stringify(findings)).toBeTruthy();
    seq = f!.seq;
  } finally {
    await api.dispose();
  }

  // Invalid ids: an ordinary empty form with a warning, not an error page.
  await signIn(page, "agent", `/submit?upload=00000000-0000-4000-8000-000000000000&finding=1`);
  await expect(page.getByTestId("draft-warning")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("");
  await page.goto("/submit?upload=not-a-uuid&finding=x");
  await expect(page.getByTestId("draft-warning")).toBeVisible();

  // The finding pre-fills the form, and the ticket links back to the upload.
  await page.goto(`/submit?upload=${uploadId}&finding=${seq}`);
  await expect(page.getByTestId("finding-source")).toContainText(`From finding ${seq} of serials-${word}.csv`);
  await expect(page.getByTestId("finding-source").getByRole("link", { name: `serials-${word}.csv` })).toHaveAttribute("href", `/files/${uploadId}`);
  await expect(page.getByLabel("Title")).toHaveValue(/invalid gtin in serials-/);
  await expect(page.getByLabel("Description", { exact: true })).toHaveValue(/09506000134353/);
  // Mention the good unit so the serial history has something to show.
  const description = page.getByLabel("Description", { exact: true });
  await description.fill(`${await description.inputValue()}\nThe good unit in the same sheet: (01)09506000134352(21)${serial}`);
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByTestId("created-key")).toHaveText(/^T-\d+$/);
  const key = (await page.getByTestId("created-key").textContent())!.trim();

  await page.goto(`/tickets/${key}`);
  await expect(page.getByTestId("linked-upload").getByRole("link")).toHaveAttribute("href", `/files/${uploadId}`);
  const unit = page.getByTestId("serial-unit").filter({ hasText: serial });
  await expect(unit).toContainText(`GTIN 09506000134352 · serial ${serial} · lot ${lot} · expiry 2027-12-31`);
  const events = unit.getByRole("list", { name: `Events of 09506000134352 / ${serial}` }).getByRole("listitem");
  await expect(events).toHaveCount(2);
  await expect(events.nth(0)).toContainText("Commissioned · 2026-01-10 08:00 UTC · Plant A");
  await expect(events.nth(1)).toContainText("Shipped · 2026-02-01 10:30 UTC · DC North");
  await expect(events.nth(1).getByRole("link", { name: "row 3" })).toHaveAttribute("href", `/files/${uploadId}`);
  await expectAccessible(page, "ticket page with linked upload and serial history");
});
