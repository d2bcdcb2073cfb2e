import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { resetEnvForTests } from "@/lib/env";
import { startWorkers, stopWorkers, type Workers } from "@/lib/jobs/worker";
import { mailNotifyJob } from "@/lib/mail/notify";
import { mailSendRetry } from "@/lib/mail/queue";
import { mailSendTask } from "@/lib/mail/send";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call } from "../../helpers/http";
import { startSmtpSink, type SmtpSink } from "../../helpers/smtp-sink";
import { TcpProxy } from "../../helpers/tcp-proxy";
import { until } from "../../routing/push-helpers";

/*
 * Fault: the SMTP server is down for 30 s while mail is queued. Agents reply to tickets
 * (POST /api/tickets/{key}/comments) → mail.notify writes an `agent_reply` outbox row per
 * requester → mail.send tries SMTP through a TcpProxy that is down. Every row records failed
 * attempts and stays queued; once the proxy is back every mail is delivered, none twice (one
 * message per Message-ID and per outbox row at the real SMTP server).
 * Retries are quick by the mail.send retry options (first retry 1 s later, doubling), the
 * test's knob for the 30 s production default.
 */

const t = useTestDb();
const DOWN_MS = 30_000;
const TICKETS = 5;
let sink: SmtpSink;
let proxy: TcpProxy;
let workers: Workers | null = null;
let agent: Actor;
const saved = { ...mailSendRetry };

beforeAll(async () => {
  sink = await startSmtpSink();
  proxy = new TcpProxy({ host: "127.0.0.1", port: sink.port });
  await proxy.up();
  process.env.SMTP_URL = `smtp://127.0.0.1:${proxy.port}`;
  process.env.MAIL_FROM = "Service Desk <help@desk.test>";
  process.env.NEXTAUTH_URL = "https://desk.test";
  resetEnvForTests();
  mailSendRetry.retryDelayS = 1;
  mailSendRetry.retryLimit = 10;
  agent = await makeActor(t.db, "smtp-fault-agent@corp.test", "agent", { teamSlug: "service-desk" });
  workers = await startWorkers([mailNotifyJob], [mailSendTask]);
}, 120_000);

afterAll(async () => {
  await stopWorkers();
  await proxy?.down();
  await sink?.close();
  Object.assign(mailSendRetry, saved);
  for (const k of ["SMTP_URL", "MAIL_FROM", "NEXTAUTH_URL"]) delete process.env[k];
  resetEnvForTests();
});

interface OutboxRow extends Record<string, unknown> {
  id: number;
  status: string;
  attempts: number;
  message_id: string;
  to_address: string;
  last_error: string | null;
}
const outbox = () =>
  rows<OutboxRow>(t.db, sql`SELECT id::float8 AS id, status::text AS status, attempts, message_id, to_address, last_error FROM mail_outbox WHERE kind = 'agent_reply' ORDER BY id`);

describe("SMTP down for 30 s while agent replies are queued", () => {
  it("mail is retried while it is down and delivered once it returns, none twice", async () => {
    const keys: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const res = await call<{ ticket: { key: string } }>(ticketsRoute.POST, {
        path: "/api/tickets",
        key: agent.key,
        body: { title: `Printer ${i} jams`, description: "The printer on floor 3 jams on every second page since Monday.", email: `requester${i}@corp.test` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      keys.push(res.body.ticket.key);
    }

    await proxy.down();
    const downAt = Date.now();
    for (const key of keys) {
      const r = await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: agent.key, params: { key }, body: { body: `We are on it (${key}).` } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    workers!.nudge();

    // While down: every reply has its row, each with at least one failed attempt, none sent.
    const failing = await until(outbox, (o) => o.length === TICKETS && o.every((r) => r.attempts >= 1), DOWN_MS);
    expect(failing).toHaveLength(TICKETS);
    for (const r of failing) {
      expect(r.status).toBe("queued");
      expect(r.attempts).toBeGreaterThanOrEqual(1);
      expect(r.last_error).toMatch(/ECONNREFUSED|connect|closed|ECONNRESET/i);
    }
    expect(new Set(failing.map((r) => r.to_address))).toEqual(new Set(keys.map((_, i) => `requester${i}@corp.test`)));
    expect(sink.find((m) => m.subject.includes("T-"))).toHaveLength(0);

    // Keep it down for the full 30 s (the fault's length, not an assertion).
    while (Date.now() - downAt < DOWN_MS) await new Promise((r) => setTimeout(r, 500));
    const attemptsWhileDown = (await outbox()).reduce((s, r) => s + r.attempts, 0);
    expect((await outbox()).every((r) => r.status === "queued")).toBe(true);
    await proxy.up();
    const upAt = Date.now();

    const sent = await until(outbox, (o) => o.every((r) => r.status === "sent"), 180_000);
    expect(sent.map((r) => r.status)).toEqual(Array(TICKETS).fill("sent"));
    const deliveredAfterS = ((Date.now() - upAt) / 1000).toFixed(1);
    // Exactly one message per outbox row (Message-ID) at the real SMTP server, none twice.
    for (const r of sent) {
      expect(sink.find((m) => m.messageId === r.message_id), r.message_id).toHaveLength(1);
      expect(r.attempts).toBeGreaterThanOrEqual(2);
    }
    const ours = sink.find((m) => sent.some((r) => r.message_id === m.messageId));
    expect(ours).toHaveLength(TICKETS);
    const byId = new Map<string, number>();
    for (const m of sink.messages) byId.set(m.messageId, (byId.get(m.messageId) ?? 0) + 1);
    expect([...byId.values()].filter((n) => n > 1)).toEqual([]);
    console.log(
      `[faults:smtp] SMTP down ${DOWN_MS / 1000} s: ${TICKETS} agent replies queued, ${attemptsWhileDown} failed attempts while down ` +
        `(per mail at the end: ${sent.map((r) => r.attempts).join(",")}), all ${TICKETS} delivered ${deliveredAfterS} s after it returned, ` +
        `${sink.messages.length} messages at the server in all, 0 duplicates`,
    );
  });
});
