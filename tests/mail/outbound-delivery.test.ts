import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { inboundMessages, mailOutbox } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { setMailPreference } from "@/lib/mail/preferences";
import { mailFromAddress } from "@/lib/mail/config";
import { mailSendRetry } from "@/lib/mail/queue";
import { resendMail } from "@/lib/mail/resend";
import { mailSendTask, sendOutboxMail } from "@/lib/mail/send";
import { clearSinkMailEnv, useSinkForMail } from "../helpers/mail-env";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp-sink";
import { useTestDb } from "../helpers/db";
import { newTicket, outboxRow, queueSimple, sendJobsOf, until } from "./outbound-helpers";

/*
 * Outgoing mail end to end: queueMail → mail.send task on real pg-boss workers → nodemailer →
 * a real SMTP server on loopback (tests/helpers/smtp-sink.ts).
 */
const t = useTestDb();
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  useSinkForMail(sink, "Service Desk <help@desk.test>");
  mailSendRetry.retryDelayS = 1;
  mailSendRetry.retryLimit = 8;
  await startWorkers([], [mailSendTask]);
}, 120_000);

afterAll(async () => {
  await stopWorkers();
  await sink?.close();
  clearSinkMailEnv();
});

const waitRow = (id: number, status: string, timeoutMs = 30_000) => until(() => outboxRow(t.db, id), (r) => r?.status === status, timeoutMs);

describe("delivery over SMTP", () => {
  it("a queued mail arrives with its recipient, ticket key, Message-ID and unsubscribe headers; the row is sent; a redelivered request writes nothing", async () => {
    const ticket = await newTicket(t.db, "VPN drops every hour");
    const q = await queueSimple(t.db, { to: "  Req@Corp.TEST ", ticketId: ticket.id, eventId: 1, subject: "An agent replied" });
    expect(q).toMatchObject({ status: "queued" });
    expect(await sendJobsOf(t.db, q!.id)).toBe(1);
    // Same (handler, event, recipient) again: nothing new (the address is compared lower-cased).
    expect(await queueSimple(t.db, { to: "req@corp.test", ticketId: ticket.id, eventId: 1 })).toBeNull();

    const m = await sink.waitFor((x) => x.envelope.to.includes("req@corp.test"));
    const row = await waitRow(q!.id, "sent");
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null, toAddress: "req@corp.test" });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(m.envelope).toEqual({ from: "help@desk.test", to: ["req@corp.test"] });
    expect(m.to).toEqual(["req@corp.test"]);
    expect(m.from).toContain("help@desk.test");
    expect(m.subject).toBe(`[${ticket.key}] An agent replied`);
    expect(m.messageId).toBe(row.messageId);
    expect(m.messageId).toMatch(/^<[0-9a-f-]{36}@desk\.test>$/);
    expect(m.inReplyTo).toBe(""); // first mail of a ticket with no inbound mail
    expect(m.header("auto-submitted")).toBe("auto-generated");
    expect(m.header("x-auto-response-suppress")).toBe("OOF, AutoReply");
    expect(m.header("list-unsubscribe")).toMatch(/^<https:\/\/desk\.test\/api\/mail\/unsubscribe\?token=[A-Za-z0-9_.%-]+>$/);
    expect(m.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(m.text).toContain("https://desk.test/unsubscribe?token=");
    expect(m.html).toContain("<p>Hello.</p>");
    expect(sink.find((x) => x.envelope.to.includes("req@corp.test"))).toHaveLength(1);
  });

  it("threads: the ticket's inbound root and the previous mail become References and In-Reply-To; copies of one event are siblings", async () => {
    const ticket = await newTicket(t.db, "Printer on floor 3 offline", "printer@corp.test");
    await t.db.insert(inboundMessages).values({
      messageId: "<root-1@mail.corp.test>",
      source: "api",
      fromAddress: "printer@corp.test",
      subject: "Printer on floor 3 offline",
      status: "processed",
      action: "created",
      ticketId: ticket.id,
      raw: Buffer.from("Subject: Printer on floor 3 offline\r\n\r\nhelp"),
      sizeBytes: 40,
    });
    const first = await queueSimple(t.db, { to: "printer@corp.test", ticketId: ticket.id, eventId: 50, kind: "ticket_received", subject: "We received your request" });
    const m1 = await sink.waitFor((x) => x.subject.includes("We received") && x.envelope.to.includes("printer@corp.test"));
    expect(m1.inReplyTo).toBe("<root-1@mail.corp.test>");
    expect(m1.references).toEqual(["<root-1@mail.corp.test>"]);

    // The second event mails the requester and a watcher: both answer the first mail, not each other.
    const second = await queueSimple(t.db, { to: "printer@corp.test", ticketId: ticket.id, eventId: 51, subject: "An agent replied" });
    const watcher = await queueSimple(t.db, { to: "boss@corp.test", ticketId: ticket.id, eventId: 51, kind: "watcher_message", subject: "New message" });
    const m2 = await sink.waitFor((x) => x.subject.includes("An agent replied") && x.envelope.to.includes("printer@corp.test"));
    const mw = await sink.waitFor((x) => x.envelope.to.includes("boss@corp.test"));
    const firstRow = await outboxRow(t.db, first!.id);
    expect(m2.inReplyTo).toBe(firstRow.messageId);
    expect(m2.references).toEqual(["<root-1@mail.corp.test>", firstRow.messageId]);
    expect(mw.inReplyTo).toBe(firstRow.messageId);
    expect(mw.subject).toBe(`[${ticket.key}] New message`);
    expect((await outboxRow(t.db, second!.id)).messageId).toBe(m2.messageId);
    expect((await outboxRow(t.db, watcher!.id)).messageId).toBe(mw.messageId);

    // An explicit In-Reply-To (a bounce answering an inbound message) with no ticket.
    const bounce = await queueSimple(t.db, { to: "stranger@else.test", kind: "bounce", inReplyTo: "<in-9@else.test>", subject: "Your mail could not be accepted" });
    const mb = await sink.waitFor((x) => x.envelope.to.includes("stranger@else.test"));
    expect(bounce!.status).toBe("queued");
    expect(mb.inReplyTo).toBe("<in-9@else.test>");
    expect(mb.references).toEqual(["<in-9@else.test>"]);
    expect(mb.header("auto-submitted")).toBe("auto-replied");
    expect(mb.header("list-unsubscribe")).toBeUndefined(); // transactional: no unsubscribe
  });

  it("a 451 answer is retried: delivered once, two attempts recorded", async () => {
    sink.failNext(1, 451, "try later");
    const q = await queueSimple(t.db, { to: "retry@corp.test" });
    const m = await sink.waitFor((x) => x.envelope.to.includes("retry@corp.test"));
    const row = await waitRow(q!.id, "sent");
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBeNull();
    expect(sink.refused.filter((r) => r.envelope.to.includes("retry@corp.test")).map((r) => r.code)).toEqual([451]);
    expect(sink.find((x) => x.envelope.to.includes("retry@corp.test"))).toHaveLength(1);
    expect(m.messageId).toBe(row.messageId);
  });

  it("a server that is down is retried until it is back, then the mail is delivered once", async () => {
    await sink.stop();
    const q = await queueSimple(t.db, { to: "down@corp.test" });
    const failed = await until(() => outboxRow(t.db, q!.id), (r) => r.attempts >= 1);
    expect(failed.status).toBe("queued");
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    await sink.start();
    await sink.waitFor((x) => x.envelope.to.includes("down@corp.test"), 60_000);
    const row = await waitRow(q!.id, "sent");
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(sink.find((x) => x.envelope.to.includes("down@corp.test"))).toHaveLength(1);
  }, 90_000);

  it("a permanent 5xx fails the mail at once, without retries (at RCPT and after DATA)", async () => {
    sink.rejectRecipient("nobody@corp.test", 550);
    const a = await queueSimple(t.db, { to: "nobody@corp.test" });
    const rowA = await waitRow(a!.id, "failed");
    expect(rowA.attempts).toBe(1);
    expect(rowA.lastError).toMatch(/550/);
    sink.rejectRecipient("nobody@corp.test", null);

    sink.failNext(1, 554, "message refused");
    const b = await queueSimple(t.db, { to: "refused@corp.test" });
    const rowB = await waitRow(b!.id, "failed");
    expect(rowB.attempts).toBe(1);
    expect(rowB.lastError).toMatch(/554/);
    // The job did not fail (nothing for pg-boss to retry): it completed.
    const jobs = await rows<{ state: string }>(t.db, sql`SELECT state::text FROM pgboss.job WHERE name = 'mail.send' AND (data->>'outboxId')::bigint = ${b!.id}`);
    expect(jobs.map((j) => j.state)).toEqual(["completed"]);
    expect(sink.find((x) => x.envelope.to.includes("refused@corp.test") || x.envelope.to.includes("nobody@corp.test"))).toEqual([]);

    // An address that cannot be one: a failed row at queue time, no job, and no resend.
    const bad = await queueSimple(t.db, { to: "two@corp.test, three@corp.test" });
    expect(bad!.status).toBe("failed");
    expect(await sendJobsOf(t.db, bad!.id)).toBe(0);
    await expect(resendMail(t.db, bad!.id)).rejects.toMatchObject({ code: "conflict", status: 409 });
  });

  it("exhausted retries mark the mail failed (dead letter); an admin resend delivers it with the same Message-ID", async () => {
    mailSendRetry.retryLimit = 1;
    sink.failNext(2, 421, "service not available");
    const q = await queueSimple(t.db, { to: "deadletter@corp.test" });
    mailSendRetry.retryLimit = 8;
    const dead = await waitRow(q!.id, "failed", 60_000);
    expect(dead.attempts).toBe(2);
    expect(dead.lastError).toMatch(/421|service not available/);

    await resendMail(t.db, q!.id);
    expect((await outboxRow(t.db, q!.id)).status).toMatch(/queued|sent/);
    const m = await sink.waitFor((x) => x.envelope.to.includes("deadletter@corp.test"));
    const row = await waitRow(q!.id, "sent");
    expect(row.attempts).toBe(3);
    expect(m.messageId).toBe(dead.messageId);

    // A sent row cannot be resent; an unknown id is 404.
    await expect(resendMail(t.db, q!.id)).rejects.toMatchObject({ code: "conflict", status: 409 });
    await expect(resendMail(t.db, 987_654_321)).rejects.toMatchObject({ code: "not_found", status: 404 });
  }, 90_000);

  it("a switched-off kind is written as suppressed, with no job and no SMTP message; transactional mail to the same address still goes", async () => {
    await setMailPreference(t.db, "Quiet@Corp.test", "agent_reply", false);
    const q = await queueSimple(t.db, { to: "quiet@corp.test", kind: "agent_reply", subject: "Suppressed reply" });
    expect(q!.status).toBe("suppressed");
    expect(await sendJobsOf(t.db, q!.id)).toBe(0);
    const row = await outboxRow(t.db, q!.id);
    expect(row.textBody).toContain("Hello."); // rendered, so admins see what was not sent
    const conf = await queueSimple(t.db, { to: "quiet@corp.test", kind: "confirmation", subject: "Please confirm" });
    expect(conf!.status).toBe("queued");
    await sink.waitFor((x) => x.envelope.to.includes("quiet@corp.test"));
    await waitRow(conf!.id, "sent");
    expect(sink.find((x) => x.envelope.to.includes("quiet@corp.test")).map((x) => x.subject)).toEqual(["Please confirm"]);
    // A suppressed mail is not resendable.
    await expect(resendMail(t.db, q!.id)).rejects.toBeInstanceOf(ApiError);
  });

  it("mail to the desk's own MAIL_FROM address (a ticket the desk filed itself) is suppressed with the reason, never sent", async () => {
    const own = mailFromAddress();
    const q = await queueSimple(t.db, { to: own.toUpperCase(), kind: "ticket_received", subject: "Loop" });
    expect(q!.status).toBe("suppressed");
    expect(await sendJobsOf(t.db, q!.id)).toBe(0);
    expect((await outboxRow(t.db, q!.id)).lastError).toMatch(/own address/);
  });

  it("at-least-once: a crash between the server's accept and our commit sends the same Message-ID again; a sent row is not sent twice", async () => {
    // Written as a dev-outbox row (no task), then queued by hand, so no worker races the manual sends.
    delete process.env.SMTP_URL;
    resetEnvForTests();
    const q = await queueSimple(t.db, { to: "crash@corp.test" });
    process.env.SMTP_URL = sink.url;
    resetEnvForTests();
    expect(q!.status).toBe("outbox");
    await t.db.update(mailOutbox).set({ status: "queued" }).where(eq(mailOutbox.id, q!.id));
    await expect(
      sendOutboxMail(t.db, q!.id, {
        beforeCommit: () => {
          throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    expect(await outboxRow(t.db, q!.id)).toMatchObject({ status: "queued", attempts: 0 });
    expect(await sendOutboxMail(t.db, q!.id)).toBe("sent");
    expect(await sendOutboxMail(t.db, q!.id)).toBe("not_queued");
    const got = sink.find((x) => x.envelope.to.includes("crash@corp.test"));
    expect(got).toHaveLength(2);
    expect(new Set(got.map((x) => x.messageId)).size).toBe(1);
    expect(await outboxRow(t.db, q!.id)).toMatchObject({ status: "sent", attempts: 1 });
  });
});
