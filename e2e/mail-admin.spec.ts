import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiSignIn, signIn, uniqueWord } from "./helpers";

/*
 * Mail admin pages and the people's side of mail (no SMTP in e2e, so every mail stays in the
 * dev outbox): /admin/outbox with the rendered HTML in a sandboxed frame, /settings/notifications,
 * /unsubscribe, /admin/mailboxes, /admin/inbound, and axe on each.
 */

const OUTBOX_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox; frame-ancestors 'self'";

type OutboxItem = { id: number; ticketKey: string | null; kind: string; subject: string; status: string };

/** File a ticket as the demo requester; returns its key. */
async function fileTicket(request: APIRequestContext, word: string): Promise<string> {
  await apiSignIn(request, "requester");
  const res = await request.post("/api/tickets", {
    data: { title: `Mail admin check ${word}`, description: `The docking station on desk 4 stopped charging the laptop (${word}).`, email: "requester@example.com" },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { ticket: { key: string } }).ticket.key;
}

/** Wait (up to 2 min: the mail.notify job runs after the commit) for the ticket's "received" mail in the outbox. */
async function waitForReceivedMail(admin: Page, key: string): Promise<OutboxItem> {
  let found: OutboxItem | undefined;
  await expect
    .poll(
      async () => {
        const res = await admin.request.get("/api/admin/outbox?kind=ticket_received&to=requester@example.com&limit=100");
        const items = ((await res.json()) as { items: OutboxItem[] }).items;
        found = items.find((i) => i.ticketKey === key);
        return found?.status ?? null;
      },
      { timeout: 120_000, intervals: [500, 1000, 2000] },
    )
    .toBe("outbox");
  return found!;
}

/** Axe on the page; `exclude` leaves out e.g. the sandboxed mail frame (mail content, and no script may run in it). */
async function expectNoSeriousViolations(page: Page, name: string, exclude?: string) {
  const builder = new AxeBuilder({ page });
  if (exclude) builder.exclude(exclude);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\n")}`).join("\n");
  expect(serious, `${name}: serious/critical axe violations\n${report}`).toEqual([]);
}

test.describe.configure({ mode: "serial" });

let key = "";
let mailId = 0;
let unsubscribeToken = "";

test("an admin opens /admin/outbox and sees the new ticket's mail with its rendered HTML in a sandboxed frame", async ({ page, request }) => {
  test.setTimeout(180_000);
  const word = uniqueWord("mailadm");
  key = await fileTicket(request, word);
  await signIn(page, "admin");
  const mail = await waitForReceivedMail(page, key);
  mailId = mail.id;

  await page.goto("/admin/outbox");
  await expect(page.getByText("Dev outbox: SMTP_URL is not set; nothing is sent.")).toBeVisible();
  const row = page.getByTestId(`outbox-row-${mailId}`);
  await expect(row).toContainText("requester@example.com");
  await expect(row).toContainText("Dev outbox");
  await expect(row.getByRole("link", { name: key, exact: true })).toBeVisible();

  // Filters narrow the list (a recipient nobody has → empty)
  await page.getByLabel("Recipient").fill(`nobody-${word}@example.com`);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("outbox-table")).toContainText("No mail matches these filters");

  await page.goto("/admin/outbox");
  await page.getByTestId(`outbox-row-${mailId}`).getByRole("rowheader").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/admin/outbox/${mailId}$`));
  const headers = page.getByTestId("mail-headers");
  await expect(headers).toContainText("Message-ID");
  await expect(headers).toContainText("List-Unsubscribe");
  await expect(page.getByTestId("mail-text")).toContainText(key);

  const frameEl = page.getByTestId("mail-html-frame");
  await expect(frameEl).toHaveAttribute("sandbox", "");
  await expect(page.frameLocator('[data-testid="mail-html-frame"]').getByText(`Mail admin check ${word}`).first()).toBeVisible();

  const html = await page.request.get(`/api/admin/outbox/${mailId}/html`);
  expect(html.status()).toBe(200);
  expect(html.headers()["content-security-policy"]).toBe(OUTBOX_HTML_CSP);
  expect(html.headers()["x-frame-options"]).toBe("SAMEORIGIN");
  // other API responses keep the deny-all policy
  expect((await page.request.get("/api/health")).headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");

  const detail = (await (await page.request.get(`/api/admin/outbox/${mailId}`)).json()) as { headers: Record<string, string> };
  unsubscribeToken = new URL(/<([^>]+)>/.exec(detail.headers["List-Unsubscribe"])![1]).searchParams.get("token")!;
  expect(unsubscribeToken).toBeTruthy();
});

test("a requester switches a kind of mail off on /settings/notifications; it stays off after a reload", async ({ page }) => {
  await signIn(page, "requester");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mail settings" }).click();
  await expect(page).toHaveURL(/\/settings\/notifications$/);
  const resolved = page.getByLabel("Your request was resolved");
  await expect(resolved).toBeChecked();
  // requesters do not see agent kinds
  await expect(page.getByLabel("A ticket was assigned to you")).toHaveCount(0);
  await resolved.uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Mail settings saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Your request was resolved")).not.toBeChecked();
  await expectNoSeriousViolations(page, "/settings/notifications");
  // back on, for the other specs
  await page.getByLabel("Your request was resolved").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Mail settings saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Your request was resolved")).toBeChecked();
});

test("the unsubscribe link from the mail switches that kind off without signing in", async ({ page, request }) => {
  expect(unsubscribeToken, "set by the outbox test").toBeTruthy();
  await page.goto("/unsubscribe?token=not-a-token");
  await expect(page.getByText("This unsubscribe link is not valid")).toBeVisible();

  await page.goto(`/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`);
  await expect(page.getByText("We received your request", { exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, "/unsubscribe");
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByTestId("unsubscribed")).toContainText("You will no longer get “We received your request” mails at requester@example.com.");
  await expect(page.getByRole("link", { name: "Your mail settings" })).toBeVisible();
  await expectNoSeriousViolations(page, "/unsubscribe (done)");

  // RFC 8058 one-click is idempotent; then switch it back on as the requester
  const again = await request.post(`/api/mail/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`, { form: { "List-Unsubscribe": "One-Click" } });
  expect(again.status()).toBe(200);
  await apiSignIn(request, "requester");
  const prefs = (await (await request.get("/api/mail/preferences")).json()) as { kinds: { kind: string; enabled: boolean }[] };
  expect(prefs.kinds.find((k) => k.kind === "ticket_received")?.enabled).toBe(false);
  expect((await request.put("/api/mail/preferences", { data: { ticket_received: true } })).status()).toBe(200);
});

test("an admin adds, edits and deletes a mailbox; the password is never shown", async ({ page }) => {
  const name = uniqueWord("mbx");
  const password = `pw-${uniqueWord("secret")}`;
  await signIn(page, "admin");
  await page.goto("/admin/mailboxes");
  await expectNoSeriousViolations(page, "/admin/mailboxes");
  const form = page.getByRole("form", { name: "Add mailbox" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("IMAP host").fill("imap.example.com");
  await form.getByLabel("User name").fill("desk@example.com");
  await form.getByLabel("Port", { exact: true }).fill("70000");
  await form.getByRole("button", { name: "Add mailbox" }).click();
  await expect(form.getByText("Ports are 1-65535")).toBeVisible();
  await expectNoSeriousViolations(page, "/admin/mailboxes (errors)");
  await form.getByLabel("Port", { exact: true }).fill("993");
  await form.getByLabel("Password").fill(password);
  // inactive: the IMAP poller leaves it alone (imap.example.com does not exist)
  await form.getByLabel("Active (polled)").uncheck();
  await form.getByRole("button", { name: "Add mailbox" }).click();
  await expect(form.getByRole("status").filter({ hasText: `Mailbox ${name} added.` })).toBeVisible();
  const row = page.getByTestId(`mailbox-row-${name}`);
  await expect(row).toContainText("imap.example.com:993");
  await expect(row).toContainText("Inactive");
  expect(await page.content()).not.toContain(password);

  await row.getByRole("link", { name }).click();
  const edit = page.getByRole("form", { name: "Save mailbox" });
  await expect(edit.getByLabel("Password")).toHaveValue("");
  await edit.getByLabel("After processing").selectOption("move");
  await edit.getByRole("button", { name: "Save mailbox" }).click();
  await expect(edit.getByText("Enter the folder processed mail is moved to")).toBeVisible();
  await edit.getByLabel("Move to folder").fill("Processed");
  await edit.getByRole("button", { name: "Save mailbox" }).click();
  await expect(edit.getByRole("status").filter({ hasText: `Saved: ${name} (inactive).` })).toBeVisible();
  await expectNoSeriousViolations(page, "/admin/mailboxes/[id]");
  expect(await page.content()).not.toContain(password);
  await page.getByRole("button", { name: `Delete mailbox ${name}` }).click();
  await expect(page).toHaveURL(/\/admin\/mailboxes$/);
  await expect(page.getByTestId(`mailbox-row-${name}`)).toHaveCount(0);
});

test("axe: /admin/outbox, its detail, /admin/inbound", async ({ page }) => {
  expect(mailId, "set by the outbox test").toBeGreaterThan(0);
  await signIn(page, "admin");
  await page.goto("/admin/outbox");
  await expect(page.getByTestId("outbox-table")).toBeVisible();
  await expectNoSeriousViolations(page, "/admin/outbox");
  await page.goto(`/admin/outbox/${mailId}`);
  await expect(page.getByTestId("mail-html-frame")).toBeVisible();
  await expectNoSeriousViolations(page, "/admin/outbox/[id]", '[data-testid="mail-html-frame"]');
  await page.goto("/admin/inbound");
  await expect(page.getByTestId("inbound-table")).toBeVisible();
  await expectNoSeriousViolations(page, "/admin/inbound");
});
