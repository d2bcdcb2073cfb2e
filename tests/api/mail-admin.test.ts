import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { auditEvents, inboundMessages, mailboxes, mailOutbox } from "@/db/schema";
import * as outboxList from "@/app/api/admin/outbox/route";
import * as outboxItem from "@/app/api/admin/outbox/[id]/route";
import * as outboxHtml from "@/app/api/admin/outbox/[id]/html/route";
import * as outboxResend from "@/app/api/admin/outbox/[id]/resend/route";
import * as mailboxList from "@/app/api/admin/mailboxes/route";
import * as mailboxItem from "@/app/api/admin/mailboxes/[id]/route";
import * as inboundList from "@/app/api/admin/inbound/route";
import * as inboundItem from "@/app/api/admin/inbound/[id]/route";
import * as inboundRaw from "@/app/api/admin/inbound/[id]/raw/route";
import * as inboundReplay from "@/app/api/admin/inbound/[id]/replay/route";
import { getBoss } from "@/lib/jobs/boss";
import { ensureQueues } from "@/lib/jobs/worker";
import { MAIL_SEND_TASK } from "@/lib/mail/queue";
import { decryptSecret } from "@/lib/crypto/secrets";
import { resetEnvForTests } from "@/lib/env";
import { envMailbox } from "@/lib/mail/admin/mailboxes";
import { CreateMailboxSchema, UpdateMailboxSchema } from "@/lib/mail/schemas";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let agent: Actor;
let requester: Actor;
let ticketId: number;
let ticketKey: string;

beforeAll(async () => {
  db = testDb.db;
  admin = await makeActor(db, "admin-mail@corp.test", "admin");
  agent = await makeActor(db, "agent-mail@corp.test", "agent", { teamSlug: "service-desk" });
  requester = await makeActor(db, "req-mail@corp.test", "requester");
  const [t] = await rows<{ id: number; key: string }>(
    db,
    sql`INSERT INTO tickets (title, description, requester_email, category_slug, priority, source) VALUES ('Printer jams', 'The printer on floor 3 jams on every job.', 'req-mail@corp.test', 'hardware', 'P3', 'web') RETURNING id, key`,
  );
  ticketId = Number(t.id);
  ticketKey = t.key;
});

const PASSWORD = "imap-pa55-never-shown-7731";
/** Every response body seen by this file, checked for the password at the end. */
const seen: unknown[] = [];
async function api<T = any>(handler: Parameters<typeof call>[0], o: Parameters<typeof call>[1]) {
  const res = await call<T>(handler, o);
  seen.push(res.body);
  return res;
}

async function addOutbox(values: Partial<typeof mailOutbox.$inferInsert> & { toAddress: string }): Promise<number> {
  const [r] = await db
    .insert(mailOutbox)
    .values({ handler: "test", subject: "Subject", textBody: "Text body", ...values })
    .returning({ id: mailOutbox.id });
  return Number(r.id);
}

describe("/api/admin/outbox", () => {
  let htmlId: number;
  let failedId: number;
  let textOnlyId: number;
  beforeAll(async () => {
    htmlId = await addOutbox({
      toAddress: "req-mail@corp.test",
      kind: "ticket_received",
      status: "outbox",
      ticketId,
      subject: `[${ticketKey}] We received your request`,
      textBody: "Hello,\nwe received your request.",
      htmlBody: '<html><body><p style="color:#333">We received your request</p><script>alert(1)</script></body></html>',
      messageId: "<abc.1@switchboard.test>",
      inReplyTo: "<prev@switchboard.test>",
      referencesHeader: "<root@switchboard.test> <prev@switchboard.test>",
      headers: { "List-Unsubscribe": "<https://desk.test/api/mail/unsubscribe?token=x>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    failedId = await addOutbox({ toAddress: "agent-mail@corp.test", kind: "assigned", status: "failed", attempts: 9, lastError: "550 mailbox unavailable" });
    textOnlyId = await addOutbox({ toAddress: "someone_else@corp.test", kind: "agent_reply", status: "sent", sentAt: new Date() });
  });

  it("401 signed out, 403 for agents and requesters", async () => {
    expect((await api(outboxList.GET, { path: "/api/admin/outbox" })).status).toBe(401);
    expect((await api(outboxList.GET, { path: "/api/admin/outbox", key: agent.key })).status).toBe(403);
    expect((await api(outboxList.GET, { path: "/api/admin/outbox", key: requester.key })).status).toBe(403);
    expect((await api(outboxItem.GET, { path: `/api/admin/outbox/${htmlId}`, key: agent.key, params: { id: String(htmlId) } })).status).toBe(403);
    expect((await api(outboxHtml.GET, { path: `/api/admin/outbox/${htmlId}/html`, key: requester.key, params: { id: String(htmlId) } })).status).toBe(403);
  });

  it("lists newest first with ticket keys and labels, says whether SMTP is configured, and filters by status, kind and recipient", async () => {
    const res = await api(outboxList.GET, { path: "/api/admin/outbox", key: admin.key });
    expect(res.status).toBe(200);
    expect(res.body.smtpConfigured).toBe(false);
    expect(res.body.items.map((i: { id: number }) => i.id)).toEqual([textOnlyId, failedId, htmlId]);
    expect(res.body.items[2]).toMatchObject({ to: "req-mail@corp.test", kind: "ticket_received", kindLabel: "We received your request", status: "outbox", ticketKey, attempts: 0 });
    expect(res.body.nextCursor).toBeNull();

    const failed = await api(outboxList.GET, { path: "/api/admin/outbox?status=failed", key: admin.key });
    expect(failed.body.items.map((i: { id: number }) => i.id)).toEqual([failedId]);
    expect(failed.body.items[0]).toMatchObject({ lastError: "550 mailbox unavailable", attempts: 9 });
    const kind = await api(outboxList.GET, { path: "/api/admin/outbox?kind=agent_reply", key: admin.key });
    expect(kind.body.items.map((i: { id: number }) => i.id)).toEqual([textOnlyId]);
    // `_` is literal in the recipient filter (not a LIKE wildcard)
    const to = await api(outboxList.GET, { path: "/api/admin/outbox?to=E_ELSE", key: admin.key });
    expect(to.body.items.map((i: { id: number }) => i.id)).toEqual([textOnlyId]);
    expect((await api(outboxList.GET, { path: "/api/admin/outbox?to=e%25else", key: admin.key })).body.items).toEqual([]);
  });

  it("pages by cursor", async () => {
    const p1 = await api(outboxList.GET, { path: "/api/admin/outbox?limit=2", key: admin.key });
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.nextCursor).toBe(String(failedId));
    const p2 = await api(outboxList.GET, { path: `/api/admin/outbox?limit=2&cursor=${p1.body.nextCursor}`, key: admin.key });
    expect(p2.body.items.map((i: { id: number }) => i.id)).toEqual([htmlId]);
    expect(p2.body.nextCursor).toBeNull();
  });

  it("400 on bad filters", async () => {
    for (const q of ["status=gone", "kind=spam", "limit=0", "limit=101", "cursor=abc", "cursor=-1", "extra=1", "status=sent&status=failed"]) {
      const res = await api(outboxList.GET, { path: `/api/admin/outbox?${q}`, key: admin.key });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe("validation_error");
    }
  });

  it("detail: threading and list headers, text part, whether HTML exists; 404 for unknown or malformed ids", async () => {
    const res = await api(outboxItem.GET, { path: `/api/admin/outbox/${htmlId}`, key: admin.key, params: { id: String(htmlId) } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: htmlId,
      messageId: "<abc.1@switchboard.test>",
      inReplyTo: "<prev@switchboard.test>",
      references: "<root@switchboard.test> <prev@switchboard.test>",
      headers: { "List-Unsubscribe": "<https://desk.test/api/mail/unsubscribe?token=x>" },
      text: "Hello,\nwe received your request.",
      hasHtml: true,
      ticketKey,
    });
    expect(res.body).not.toHaveProperty("html");
    for (const id of ["999999", "abc", "0", "1e3", "99999999999999999999"]) {
      const r = await api(outboxItem.GET, { path: `/api/admin/outbox/${id}`, key: admin.key, params: { id } });
      expect(r.status, id).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
  });

  it("the HTML part is served with a strict sandboxing CSP, framable by this site only; 404 when there is none", async () => {
    const res = await call(outboxHtml.GET, { path: `/api/admin/outbox/${htmlId}/html`, key: admin.key, params: { id: String(htmlId) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    for (const d of ["default-src 'none'", "style-src 'unsafe-inline'", "img-src data: https:", "sandbox", "frame-ancestors 'self'"]) expect(csp).toContain(d);
    expect(csp).not.toContain("script-src");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toContain("We received your request");
    const none = await api(outboxHtml.GET, { path: `/api/admin/outbox/${failedId}/html`, key: admin.key, params: { id: String(failedId) } });
    expect(none.status).toBe(404);
    expect((await api(outboxHtml.GET, { path: "/api/admin/outbox/x/html", key: admin.key, params: { id: "x" } })).status).toBe(404);
  });

  it("resend: 409 while SMTP_URL is unset; with SMTP a failed mail is queued again (audited); sent ones 409; 403/404", async () => {
    const path = `/api/admin/outbox/${failedId}/resend`;
    expect((await api(outboxResend.POST, { path, key: agent.key, params: { id: String(failedId) } })).status).toBe(403);
    const noSmtp = await api(outboxResend.POST, { path, key: admin.key, params: { id: String(failedId) } });
    expect(noSmtp.status).toBe(409);
    expect(noSmtp.body.error.message).toMatch(/SMTP/);
    process.env.SMTP_URL = "smtp://127.0.0.1:1";
    resetEnvForTests();
    try {
      await ensureQueues(db, testDb.kind, await getBoss(), [{ name: MAIL_SEND_TASK }]);
      const ok = await api(outboxResend.POST, { path, key: admin.key, params: { id: String(failedId) } });
      expect(ok.status).toBe(202);
      expect(ok.body).toEqual({ id: failedId, status: "queued" });
      const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, failedId));
      expect(row.status).toBe("queued");
      expect(await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.action, "mail.resent"))).toHaveLength(1);
      const again = await api(outboxResend.POST, { path, key: admin.key, params: { id: String(failedId) } });
      expect(again.status).toBe(409);
      expect((await api(outboxResend.POST, { path: "/x", key: admin.key, params: { id: String(textOnlyId) } })).status).toBe(409);
      expect((await api(outboxResend.POST, { path: "/x", key: admin.key, params: { id: "987654" } })).status).toBe(404);
      const listed = await api(outboxList.GET, { path: "/api/admin/outbox", key: admin.key });
      expect(listed.body.smtpConfigured).toBe(true);
    } finally {
      delete process.env.SMTP_URL;
      resetEnvForTests();
    }
  });
});

describe("/api/admin/mailboxes", () => {
  let id: string;
  const body = { name: "Support inbox", host: "imap.corp.test", port: 993, username: "support@corp.test", password: PASSWORD, folder: "INBOX" };

  it("401 signed out, 403 for agents and requesters, on every method", async () => {
    expect((await api(mailboxList.GET, { path: "/api/admin/mailboxes" })).status).toBe(401);
    expect((await api(mailboxList.GET, { path: "/api/admin/mailboxes", key: agent.key })).status).toBe(403);
    expect((await api(mailboxList.POST, { path: "/api/admin/mailboxes", key: agent.key, body })).status).toBe(403);
    expect((await api(mailboxList.POST, { path: "/api/admin/mailboxes", key: requester.key, body })).status).toBe(403);
    expect(await db.select().from(mailboxes)).toHaveLength(0);
  });

  it("an admin creates a mailbox: 201 without the password, sealed at rest, audited without it", async () => {
    const res = await api(mailboxList.POST, { path: "/api/admin/mailboxes", key: admin.key, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Support inbox", host: "imap.corp.test", port: 993, secure: true, username: "support@corp.test", hasPassword: true, folder: "INBOX", processedAction: "flag", moveTo: null, active: true, lastPolledAt: null });
    expect(res.body).not.toHaveProperty("password");
    expect(res.body).not.toHaveProperty("passwordCiphertext");
    id = res.body.id;
    const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, id));
    expect(row.passwordCiphertext).toMatch(/^v1\./);
    expect(decryptSecret(row.passwordCiphertext)).toBe(PASSWORD);
    const audit = await rows<{ action: string; after: unknown }>(db, sql`SELECT action, after FROM audit_events WHERE entity_type = 'mailbox' AND entity_id = ${id}`);
    expect(audit.map((a) => a.action)).toEqual(["mailbox.created"]);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it("400 on bad input (port, host, move without folder, missing fields, unknown keys); 409 on a taken name; nothing written", async () => {
    const bad: [string, unknown][] = [
      ["port 0", { ...body, name: "x1", port: 0 }],
      ["port 65536", { ...body, name: "x2", port: 65536 }],
      ["port text", { ...body, name: "x3", port: "imap" }],
      ["host with scheme", { ...body, name: "x4", host: "imaps://imap.corp.test" }],
      ["host empty", { ...body, name: "x5", host: "" }],
      ["no username", { ...body, name: "x6", username: "" }],
      ["no password", { name: "x7", host: "imap.corp.test", username: "u" }],
      ["move without moveTo", { ...body, name: "x8", processedAction: "move" }],
      ["unknown action", { ...body, name: "x9", processedAction: "delete" }],
      ["unknown key", { ...body, name: "x10", tls: true }],
      ["NUL in folder", { ...body, name: "x11", folder: "IN\u0000BOX" }],
      ["folder on two lines", { ...body, name: "x12", folder: "IN\r\nBOX" }],
    ];
    for (const [what, b] of bad) {
      const res = await api(mailboxList.POST, { path: "/api/admin/mailboxes", key: admin.key, body: b });
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe("validation_error");
    }
    const moveIssue = CreateMailboxSchema.safeParse({ ...body, processedAction: "move" });
    expect(moveIssue.success ? [] : moveIssue.error.issues.map((i) => i.path.join("."))).toEqual(["moveTo"]);
    const dup = await api(mailboxList.POST, { path: "/api/admin/mailboxes", key: admin.key, body });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toMatchObject({ field: "name" });
    expect(await db.select().from(mailboxes)).toHaveLength(1);
  });

  it("list and get show it without the password; the IMAP_URL mailbox is shown read-only without its password", async () => {
    process.env.IMAP_URL = "imaps://env%40corp.test:env-secret-99@mail.corp.test:1993/Support%20Desk?action=move&moveTo=Done";
    resetEnvForTests();
    try {
      const res = await api(mailboxList.GET, { path: "/api/admin/mailboxes", key: admin.key });
      expect(res.status).toBe(200);
      expect(res.body.items.map((m: { id: string }) => m.id)).toEqual([id]);
      expect(res.body.env).toEqual({
        source: "IMAP_URL",
        host: "mail.corp.test",
        port: 1993,
        secure: true,
        username: "env@corp.test",
        hasPassword: true,
        folder: "Support Desk",
        processedAction: "move",
        moveTo: "Done",
        display: "env@corp.test@mail.corp.test:1993/Support Desk",
      });
      expect(JSON.stringify(res.body)).not.toContain("env-secret-99");
    } finally {
      delete process.env.IMAP_URL;
      resetEnvForTests();
    }
    expect(envMailbox(undefined)).toBeNull();
    expect(envMailbox("imap://u@h")).toMatchObject({ port: 143, secure: false, folder: "INBOX", processedAction: "flag", hasPassword: false, display: "u@h:143/INBOX" });
    expect(envMailbox("https://h/x")).toBeNull();
    const one = await api(mailboxItem.GET, { path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, hasPassword: true });
    for (const bad of ["nope", crypto.randomUUID()]) {
      expect((await api(mailboxItem.GET, { path: `/api/admin/mailboxes/${bad}`, key: admin.key, params: { id: bad } })).status).toBe(404);
    }
    expect((await api(mailboxItem.GET, { path: `/api/admin/mailboxes/${id}`, key: agent.key, params: { id } })).status).toBe(403);
  });

  it("PATCH without password keeps it; with one replaces it; move needs a folder; flag clears it", async () => {
    const res = await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id }, body: { folder: "Support", active: false } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ folder: "Support", active: false, hasPassword: true });
    let [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, id));
    expect(decryptSecret(row.passwordCiphertext)).toBe(PASSWORD);

    const noFolder = await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id }, body: { processedAction: "move" } });
    expect(noFolder.status).toBe(400);
    expect(noFolder.body.error.details.issues[0].path).toBe("moveTo");
    const move = await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id }, body: { processedAction: "move", moveTo: "Processed" } });
    expect(move.body).toMatchObject({ processedAction: "move", moveTo: "Processed" });
    const flag = await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id }, body: { processedAction: "flag" } });
    expect(flag.body).toMatchObject({ processedAction: "flag", moveTo: null });

    const pw = await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id }, body: { password: "new-pass-2" } });
    expect(pw.status).toBe(200);
    [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, id));
    expect(decryptSecret(row.passwordCiphertext)).toBe("new-pass-2");

    for (const b of [{}, { port: 70000 }, { password: "" }, { nope: 1 }]) {
      expect((await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id }, body: b })).status, JSON.stringify(b)).toBe(400);
    }
    expect(UpdateMailboxSchema.safeParse({ processedAction: "move", moveTo: null }).success).toBe(false);
    expect((await api(mailboxItem.PATCH, { method: "PATCH", path: `/api/admin/mailboxes/${id}`, key: agent.key, params: { id }, body: { active: true } })).status).toBe(403);
    const audit = await rows<{ action: string }>(db, sql`SELECT action, after FROM audit_events WHERE entity_type = 'mailbox' AND entity_id = ${id} ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(["mailbox.created", "mailbox.updated", "mailbox.updated", "mailbox.updated", "mailbox.updated"]);
    expect(JSON.stringify(audit)).not.toContain("new-pass-2");
  });

  it("DELETE: 403 for agents, 204 for admins, then 404", async () => {
    expect((await api(mailboxItem.DELETE, { method: "DELETE", path: `/api/admin/mailboxes/${id}`, key: agent.key, params: { id } })).status).toBe(403);
    expect((await api(mailboxItem.DELETE, { method: "DELETE", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id } })).status).toBe(204);
    expect((await api(mailboxItem.DELETE, { method: "DELETE", path: `/api/admin/mailboxes/${id}`, key: admin.key, params: { id } })).status).toBe(404);
    expect(await db.select().from(mailboxes)).toHaveLength(0);
  });
});

const RAW_HTML_ONLY = [
  "From: Erika Muster <erika@corp.test>",
  "To: help@desk.test",
  "Subject: =?ISO-8859-1?Q?Dr=FCcker_kaputt?=",
  "Message-ID: <html-only.1@corp.test>",
  "Date: Tue, 01 Dec 2026 10:00:00 +0000",
  "MIME-Version: 1.0",
  "Content-Type: text/html; charset=utf-8",
  "",
  '<html><body><p>The <b>printer</b> is broken.</p><script>alert("x")</script><img src="https://tracker.example/pixel.gif"></body></html>',
  "",
].join("\r\n");

describe("/api/admin/inbound", () => {
  let htmlId: number;
  let brokenId: number;
  beforeAll(async () => {
    const [a] = await db
      .insert(inboundMessages)
      .values({ messageId: "<html-only.1@corp.test>", source: "api", fromAddress: "erika@corp.test", subject: "Drücker kaputt", status: "processed", action: "created", ticketId, raw: Buffer.from(RAW_HTML_ONLY), sizeBytes: RAW_HTML_ONLY.length })
      .returning({ id: inboundMessages.id });
    htmlId = Number(a.id);
    const [b] = await db
      .insert(inboundMessages)
      .values({ messageId: "<broken@inbound.invalid>", source: "imap:env", fromAddress: null, subject: null, status: "failed", error: "boom", raw: Buffer.from([0xff, 0x00, 0x01]), sizeBytes: 3 })
      .returning({ id: inboundMessages.id });
    brokenId = Number(b.id);
  });

  it("401 signed out, 403 for agents and requesters", async () => {
    expect((await api(inboundList.GET, { path: "/api/admin/inbound" })).status).toBe(401);
    expect((await api(inboundList.GET, { path: "/api/admin/inbound", key: agent.key })).status).toBe(403);
    expect((await api(inboundItem.GET, { path: `/api/admin/inbound/${htmlId}`, key: requester.key, params: { id: String(htmlId) } })).status).toBe(403);
    expect((await call(inboundRaw.GET, { path: `/api/admin/inbound/${htmlId}/raw`, key: agent.key, params: { id: String(htmlId) } })).status).toBe(403);
  });

  it("lists newest first with ticket links and filters by status; 400 on bad filters", async () => {
    const res = await api(inboundList.GET, { path: "/api/admin/inbound", key: admin.key });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: number }) => i.id)).toEqual([brokenId, htmlId]);
    expect(res.body.items[1]).toMatchObject({ from: "erika@corp.test", subject: "Drücker kaputt", status: "processed", action: "created", ticketKey, source: "api" });
    expect(res.body.items[0]).toMatchObject({ status: "failed", error: "boom", ticketKey: null });
    expect(res.body.items[0]).not.toHaveProperty("raw");
    const failed = await api(inboundList.GET, { path: "/api/admin/inbound?status=failed", key: admin.key });
    expect(failed.body.items.map((i: { id: number }) => i.id)).toEqual([brokenId]);
    const page = await api(inboundList.GET, { path: "/api/admin/inbound?limit=1", key: admin.key });
    expect(page.body.nextCursor).toBe(String(brokenId));
    for (const q of ["status=new", "limit=x", "cursor=0", "foo=bar"]) expect((await api(inboundList.GET, { path: `/api/admin/inbound?${q}`, key: admin.key })).status, q).toBe(400);
  });

  it("detail: headers and the HTML converted to text, never the HTML itself; an unparsable message still answers", async () => {
    const res = await api(inboundItem.GET, { path: `/api/admin/inbound/${htmlId}`, key: admin.key, params: { id: String(htmlId) } });
    expect(res.status).toBe(200);
    expect(res.body.headers).toEqual(expect.arrayContaining([{ name: "Subject", value: "Drücker kaputt" }, { name: "Message-ID", value: "<html-only.1@corp.test>" }]));
    expect(res.body.text).toContain("The printer is broken.");
    expect(res.body.textFromHtml).toBe(true);
    const all = JSON.stringify(res.body);
    expect(all).not.toContain("<script");
    expect(all).not.toContain("<b>");
    expect(all).not.toContain("alert(");
    expect(all).not.toContain("tracker.example");
    const broken = await api(inboundItem.GET, { path: `/api/admin/inbound/${brokenId}`, key: admin.key, params: { id: String(brokenId) } });
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ status: "failed", error: "boom" });
    for (const id of ["424242", "x"]) expect((await api(inboundItem.GET, { path: `/api/admin/inbound/${id}`, key: admin.key, params: { id } })).status).toBe(404);
  });

  it("raw download: message/rfc822 attachment with the exact bytes", async () => {
    const req = new Request(`http://localhost:3000/api/admin/inbound/${htmlId}/raw`, { headers: { authorization: `Bearer ${admin.key}` } });
    const { NextRequest } = await import("next/server");
    const res = await inboundRaw.GET(new NextRequest(req), { params: Promise.resolve({ id: String(htmlId) }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("message/rfc822");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="inbound-${htmlId}.eml"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(RAW_HTML_ONLY))).toBe(true);
    expect((await call(inboundRaw.GET, { path: "/api/admin/inbound/0/raw", key: admin.key, params: { id: "0" } })).status).toBe(404);
  });

  it("replay: a received message is processed (no longer received); then, and for processed ones, 409; 403/404", async () => {
    const raw = RAW_HTML_ONLY.replace("<html-only.1@corp.test>", "<replay.2@corp.test>").replace("erika@corp.test", "req-mail@corp.test");
    const [r] = await db
      .insert(inboundMessages)
      .values({ messageId: "<replay.2@corp.test>", source: "api", fromAddress: "req-mail@corp.test", subject: "Drücker kaputt", status: "received", raw: Buffer.from(raw), sizeBytes: raw.length })
      .returning({ id: inboundMessages.id });
    const id = String(r.id);
    expect((await api(inboundReplay.POST, { path: "/x", key: agent.key, params: { id } })).status).toBe(403);
    const res = await api(inboundReplay.POST, { path: "/x", key: admin.key, params: { id } });
    expect(res.status).toBe(200);
    expect(res.body.inboundId).toBe(Number(id));
    expect(res.body.status).not.toBe("received");
    const [row] = await db.select({ status: inboundMessages.status }).from(inboundMessages).where(eq(inboundMessages.id, Number(id)));
    expect(row.status).toBe(res.body.status);
    if (res.body.status !== "failed") expect((await api(inboundReplay.POST, { path: "/x", key: admin.key, params: { id } })).status).toBe(409);
    expect((await api(inboundReplay.POST, { path: "/x", key: admin.key, params: { id: String(htmlId) } })).status).toBe(409);
    expect((await api(inboundReplay.POST, { path: "/x", key: admin.key, params: { id: "777777" } })).status).toBe(404);
  });
});

describe("secrets", () => {
  it("no response of this file carried a mailbox password", () => {
    const all = JSON.stringify(seen);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain("new-pass-2");
    expect(all).not.toContain("env-secret-99");
    expect(all).not.toMatch(/passwordCiphertext|"v1\.[0-9a-f]{8}\./);
  });
});



describe("next.config.ts headers for the HTML preview", () => {
  it("the preview path gets the preview CSP and SAMEORIGIN framing (overriding the deny-all API headers); other API paths keep theirs", async () => {
    const { default: config, OUTBOX_HTML_CSP: configCsp } = await import("@/next.config");
    const { OUTBOX_HTML_CSP } = await import("@/lib/mail/admin/outbox");
    expect(configCsp).toBe(OUTBOX_HTML_CSP);
    const rules = await config.headers!();
    const last = rules[rules.length - 1];
    expect(last.source).toBe("/api/admin/outbox/:id/html");
    expect(last.headers).toEqual([
      { key: "Content-Security-Policy", value: OUTBOX_HTML_CSP },
      { key: "X-Frame-Options", value: "SAMEORIGIN" },
    ]);
    expect(rules.find((r) => r.source === "/api/:path*")?.headers[0].value).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe("OpenAPI", () => {
  it("documents the mail admin and preferences endpoints from their zod schemas", async () => {
    const { openApiDocument } = await import("@/lib/http/openapi");
    const paths = openApiDocument().paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>>;
    for (const p of ["/api/admin/outbox", "/api/admin/outbox/{id}", "/api/admin/outbox/{id}/html", "/api/admin/outbox/{id}/resend", "/api/admin/mailboxes", "/api/admin/mailboxes/{id}", "/api/admin/inbound", "/api/admin/inbound/{id}", "/api/admin/inbound/{id}/raw", "/api/admin/inbound/{id}/replay", "/api/mail/preferences", "/api/mail/unsubscribe"]) {
      expect(paths[p], p).toBeDefined();
    }
    const create = paths["/api/admin/mailboxes"].post.requestBody!.content["application/json"].schema;
    expect(Object.keys(create.properties ?? {})).toEqual(expect.arrayContaining(["host", "port", "password", "processedAction", "moveTo"]));
    const prefs = paths["/api/mail/preferences"].put.requestBody!.content["application/json"].schema;
    expect(Object.keys(prefs.properties ?? {})).toEqual(expect.arrayContaining(["agent_reply", "assigned"]));
  });
});
