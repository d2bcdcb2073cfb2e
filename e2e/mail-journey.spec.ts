import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { uniqueWord, chooseCommentMode } from "./helpers";
import { startMailTestInstance, tail, type MailTestInstance } from "./mail-instance";
import { startDovecot, startSmtpSink, type Dovecot, type SinkMessage, type SmtpSink } from "./mail-servers";

/*
 * The e-mail journey (issue #9 §3) against real mail servers on loopback: an agent replies on
 * the ticket page, the requester's mail arrives in the SMTP sink (smtp-server), the requester's
 * reply is appended to the IMAP mailbox (dovecot) and shows up on the ticket as their reply,
 * without the quoted history. An internal note is never mailed; the mails thread (In-Reply-To,
 * References) through the requester's answer.
 *
 * The shared e2e server has no SMTP/IMAP settings, so this starts its own instance from the same
 * production build (e2e/mail-instance.ts): PGlite without DATABASE_URL, a scratch PostgreSQL
 * database with it.
 */

const DESK = { user: "desk", pass: `desk-${crypto.randomBytes(6).toString("hex")}`, address: "desk@switchboard.test" };
const AGENT = { email: "mail-agent@switchboard.test", name: "Mia Agent", role: "agent" as const, password: `agent-${crypto.randomBytes(9).toString("base64url")}` };
const REQUESTER = "jo@example.test";

let sink: SmtpSink | null = null;
let dovecot: Dovecot | null = null;
let app: MailTestInstance | null = null;
let failed = false;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  failed = true; // until everything is up (keeps the logs when start-up fails)
  sink = await startSmtpSink();
  dovecot = await startDovecot({ users: { [DESK.user]: DESK.pass } });
  app = await startMailTestInstance({
    prefix: "mailjourney",
    users: [AGENT],
    env: {
      SMTP_URL: sink.url,
      MAIL_FROM: `Service Desk <${DESK.address}>`,
      IMAP_URL: dovecot.url(DESK.user, DESK.pass, "INBOX"),
      IMAP_POLL_INTERVAL_S: "2",
      PUBLIC_SUBMISSIONS: "true",
    },
  });
  failed = false;
});

test.afterEach(({}, info) => {
  if (info.status !== info.expectedStatus) failed = true;
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  if (failed && app) console.log(`[mail-journey] instance (${app.database}) log ${app.logFile}, last lines:\n${tail(app.logFile)}`);
  if (failed && sink) console.log(`[mail-journey] the SMTP sink received ${sink.messages.length} message(s):\n${sink.messages.map(describe).join("\n")}`);
  await app?.stop(failed);
  if (failed && dovecot) console.log(`[mail-journey] dovecot log:\n${dovecot.log(30)}`);
  await dovecot?.close();
  await sink?.close();
});

function describe(m: SinkMessage): string {
  return `  to ${m.to.join(", ")} | ${m.subject} | Message-ID ${m.messageId || "-"}`;
}

async function signInAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

/** Whitespace runs as one space (the text part may wrap long lines). */
function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

/** "> " before every line (RFC 3676 quoting, as mail clients do). */
function quote(text: string): string {
  return text
    .split("\n")
    .map((l) => `> ${l}`)
    .join("\n");
}

test("an agent's reply reaches the requester by mail and the requester's mailed answer lands on the ticket", async ({ browser }) => {
  test.setTimeout(240_000);
  const word = uniqueWord("mail");
  const context = await browser.newContext({ baseURL: app!.url });
  const page = await context.newPage();
  try {
    await signInAs(page, AGENT.email, AGENT.password);

    // 1. A ticket for jo (filed by the agent over the API, as a phone call would be).
    const title = `VPN drops every ten minutes ${word}`;
    const created = await page.request.post("/api/tickets", {
      data: { title, description: `Since this morning the VPN client disconnects every ten minutes (${word}).`, email: REQUESTER },
    });
    expect(created.status(), await created.text()).toBe(201);
    const key = ((await created.json()) as { ticket: { key: string } }).ticket.key;
    expect(key).toMatch(/^T-\d+$/);

    // 2. A public reply on the ticket page.
    await page.goto(`/tickets/${key}`);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const replyText = `Please update the VPN client to 5.2 and reconnect (${word}).`;
    await page.getByLabel("Reply", { exact: true }).fill(replyText);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Reply sent to the requester." })).toBeVisible();
    await expect(page.getByTestId("public-reply").filter({ hasText: replyText })).toBeVisible();

    // 3. The mail arrives in the sink: to jo, from the desk, the key in the subject, a Message-ID, the reply's text.
    const mail = await sink!.waitFor((m) => m.to.includes(REQUESTER) && flat(m.text).includes(replyText), 90_000);
    expect(mail.subject).toContain(`[${key}]`);
    expect(mail.from).toContain(DESK.address);
    expect(mail.messageId).toMatch(/^<[^<>\s@]+@[^<>\s@]+>$/);

    // 4. An internal note is not mailed. A second public reply after it is a barrier: once its
    //    mail is in, the note's event (older) has been handled too.
    const noteText = `Internal: VPN concentrator 2 is flapping, vendor case 4711 (${word}).`;
    await chooseCommentMode(page, "note");
    await page.getByLabel("Note for agents").fill(noteText);
    await page.getByRole("button", { name: "Add internal note" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Internal note added." })).toBeVisible();
    await expect(page.getByTestId("internal-note").filter({ hasText: noteText })).toBeVisible();
    const barrierText = `If it still drops after the update, please tell us your client version (${word}).`;
    await page.getByLabel("Reply", { exact: true }).fill(barrierText);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByTestId("public-reply").filter({ hasText: barrierText })).toBeVisible();
    const barrier = await sink!.waitFor((m) => m.to.includes(REQUESTER) && flat(m.text).includes(barrierText), 90_000);
    // It threads under the first one (RFC 5322 §3.6.4).
    expect(barrier.inReplyTo).toBe(mail.messageId);
    expect(barrier.references).toContain(mail.messageId);
    const leaks = sink!.messages.filter((m) => `${m.subject}\n${m.text}\n${m.html}`.includes("vendor case 4711"));
    expect(leaks.map(describe), "no mail carries the internal note").toEqual([]);

    // 5. Jo answers the first mail from a mail client; the answer is delivered to the desk's IMAP mailbox.
    const answer = "Thanks, that fixed it.";
    const joMessageId = `<${crypto.randomUUID()}@example.test>`;
    const raw = await new MailComposer({
      from: `Jo Requester <${REQUESTER}>`,
      to: `Service Desk <${DESK.address}>`,
      subject: `Re: ${mail.subject}`,
      messageId: joMessageId,
      inReplyTo: mail.messageId,
      references: [mail.messageId],
      date: new Date(),
      text: `${answer}\n\nOn ${new Date().toUTCString()}, Service Desk <${DESK.address}> wrote:\n${quote(mail.text)}\n`,
    })
      .compile()
      .build();
    await dovecot!.append(DESK.user, raw, "INBOX");

    // 6. The poller files it on the ticket as jo's public reply, holding only the new text.
    const theirs = page.getByTestId("public-reply").filter({ hasText: answer });
    await expect(async () => {
      await page.reload();
      await expect(theirs).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 90_000, intervals: [1_000, 2_000] });
    await expect(theirs).toHaveCount(1);
    await expect(theirs).toContainText("Requester");
    await expect(theirs).not.toContainText("wrote:");
    await expect(theirs).not.toContainText("client to 5.2");
    await expect(theirs.locator("p")).toHaveText(answer);

    // 7. The agent's next reply answers jo's mail in the same thread.
    const lastText = `Glad to hear it, closing the loop (${word}).`;
    await page.getByLabel("Reply", { exact: true }).fill(lastText);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByTestId("public-reply").filter({ hasText: lastText })).toBeVisible();
    const last = await sink!.waitFor((m) => m.to.includes(REQUESTER) && flat(m.text).includes(lastText), 90_000);
    expect(last.subject).toContain(`[${key}]`);
    expect(last.inReplyTo).toBe(joMessageId);
    expect(last.references).toEqual(expect.arrayContaining([mail.messageId, joMessageId]));

    // Nothing mailed along the way carried the internal note.
    const leaksAfter = sink!.messages.filter((m) => `${m.subject}\n${m.text}\n${m.html}`.includes("vendor case 4711"));
    expect(leaksAfter.map(describe)).toEqual([]);
  } finally {
    await context.close();
  }
});
