import { afterAll, describe, expect, it } from "vitest";
import { waitUntil as until } from "../../helpers/wait-until";
import { startKillableApp, type KillableApp } from "./_kill-harness";
import { serialSheetXlsx } from "../../fixtures/sheets/build";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../../fakes/webhook-receiver";
import { startSmtpSink, type SmtpSink } from "../../helpers/smtp-sink";

/*
 * An app process killed with SIGKILL in the middle of jobs (issue 15 §2), against the production
 * build (`next start`) on a scratch PostgreSQL database:
 *
 * - pushes: a webhook target per team points at the fake webhook receiver
 *   (tests/fakes/webhook-receiver.ts: checks the signature, acts once per Idempotency-Key), which
 *   holds every answer 3 s, so ticket.created pushes are in flight when the process dies;
 * - mail: acknowledgement mail to each requester over real SMTP (the smtp-server package);
 * - sheet processing: a 60,000-row serial sheet uploaded to the embedded S3 server and being
 *   processed.
 *
 * The kill comes once pushes are held at the receiver and the sheet is processing. Right after
 * it, the jobs pg-boss still marks active are read from the database: the interrupted ones. The
 * same process is started again (same port, DATA_DIR and database) with JOBS_EXPIRE_CAP_S=10
 * and JOBS_MAINTENANCE_INTERVAL_S=2, so expiry hands the dead jobs back within seconds instead of
 * minutes. Then: every interrupted job completed; no job failed or dead-lettered; the receiver
 * acted exactly once per ticket (a push cut by the kill arrives again with the SAME delivery id
 * and Idempotency-Key, and only a push whose job was interrupted may repeat); every mail row is sent and reached the SMTP server
 * (twice, with the same Message-ID, only if its send job was interrupted between the server's
 * accept and our commit: SMTP delivery is at-least-once);
 * the sheet ends `done` with the same summary and findings as a control sheet of the same shape
 * processed without a kill, and no finding stored twice.
 *
 * The SLA breach sweep killed between two of its commits is staged in sla-sweep-kill.test.ts.
 */

const TICKETS = 12;
const SHEET_ROWS = 60_000;
const HOLD_MS = 3_000;
const WEBHOOK_SECRET = "kill-webhook-secret";
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

describe("an app process killed with SIGKILL in the middle of jobs", () => {
  let k: KillableApp | null = null;
  let sink: SmtpSink | null = null;
  let receiver: FakeWebhookReceiver | null = null;
  let failed = true;
  afterAll(async () => {
    await k?.close(failed);
    await sink?.close();
    await receiver?.close();
  });

  it("finishes every interrupted push, mail and sheet after restart, none twice", async () => {
    sink = await startSmtpSink();
    receiver = await startFakeWebhookReceiver(WEBHOOK_SECRET, undefined, { holdMs: HOLD_MS });
    k = await startKillableApp("process-kill", { SMTP_URL: sink.url, MAIL_FROM: "Switchboard <desk@kill.test>" });
    const { app, sql, headers } = k;
    const base = app.url;

    for (const { slug } of await sql<{ slug: string }[]>`SELECT slug FROM teams ORDER BY slug`) {
      const res = await fetch(`${base}/api/routing/targets`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Kill receiver", team: slug, kind: "webhook", url: `${receiver.url}/hook`, secret: WEBHOOK_SECRET }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }

    /** Upload a serial sheet through the user's path: presign, PUT to S3, complete. */
    const uploadSheet = async (tag: string): Promise<string> => {
      const bytes = serialSheetXlsx(SHEET_ROWS, tag);
      const created = await fetch(`${base}/api/uploads`, {
        method: "POST",
        headers,
        body: JSON.stringify({ filename: `${tag}.xlsx`, contentType: XLSX_TYPE, size: bytes.byteLength, kind: "serials" }),
      });
      expect(created.status).toBe(201);
      const c = (await created.json()) as { id: string; url: string; headers: Record<string, string> };
      const put = await fetch(c.url, { method: "PUT", headers: c.headers, body: Buffer.from(bytes) });
      expect(put.status).toBe(200);
      const done = await fetch(`${base}/api/uploads/${c.id}/complete`, { method: "POST", headers });
      expect(done.status).toBe(202);
      return c.id;
    };

    const keys: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const res = await fetch(`${base}/api/tickets`, {
        method: "POST",
        headers,
        body: JSON.stringify({ title: `Laptop ${i} will not boot after update`, description: "Black screen after the BIOS logo since this morning's update.", email: `kill-user${i}@corp.test` }),
      });
      expect(res.status).toBe(201);
      keys.push(((await res.json()) as { ticket: { key: string } }).ticket.key);
    }
    const killedUpload = await uploadSheet("K-");

    // Kill once pushes are held at the receiver and the sheet is being processed.
    await until("pushes in flight and the sheet processing", async () => {
      const [u] = await sql<{ status: string; progress: number }[]>`SELECT status, progress FROM uploads WHERE id = ${killedUpload}`;
      return receiver!.inFlight() >= 2 && u.status === "processing" && u.progress > 0;
    }, 60_000);
    const heldAtKill = receiver.inFlight();
    await app.kill("SIGKILL");
    const interrupted = await sql<{ id: string; name: string }[]>`SELECT id::text, name FROM pgboss.job WHERE state = 'active'`;
    const [uploadAtKill] = await sql<{ status: string; progress: number }[]>`SELECT status, progress FROM uploads WHERE id = ${killedUpload}`;
    console.log(`[faults/process-kill] killed with ${heldAtKill} pushes held, upload ${uploadAtKill.status} at ${Math.round(uploadAtKill.progress * 100)} %, ${interrupted.length} jobs active: ${[...new Set(interrupted.map((j) => j.name))].join(", ")}`);
    expect(interrupted.length).toBeGreaterThan(0);
    expect(uploadAtKill.status).toBe("processing");

    await app.restart();
    await app.waitFor("/api/health/ready", 120_000);
    const controlUpload = await uploadSheet("C-");

    // Drained: every interrupted job completed, uploads done, no mail waiting, no job pending.
    await until("the jobs to drain", async () => {
      const [j] = await sql<{ pending: number }[]>`SELECT count(*)::int AS pending FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND name NOT LIKE '%sweep%' AND name NOT LIKE '\\_\\_pgboss%'`;
      const [m] = await sql<{ waiting: number }[]>`SELECT count(*)::int AS waiting FROM mail_outbox WHERE status IN ('outbox', 'queued')`;
      const [u] = await sql<{ open: number }[]>`SELECT count(*)::int AS open FROM uploads WHERE status NOT IN ('done', 'failed')`;
      return j.pending === 0 && m.waiting === 0 && u.open === 0;
    }, 180_000);

    const states = await sql<{ id: string; state: string }[]>`SELECT id::text, state FROM pgboss.job WHERE id IN ${sql(interrupted.map((j) => j.id))}`;
    const failedJobs = await sql<{ name: string; state: string }[]>`SELECT name, state FROM pgboss.job WHERE state = 'failed' OR right(name, 6) = '__dead'`;

    // Pushes: the receiver (tests/fakes/webhook-receiver.ts) acts once per Idempotency-Key
    // (the delivery id), as docs/ROUTING.md asks receivers to: one delivery per ticket.
    type Body = { event: string; delivery_id: string; ticket: { key: string } };
    const acted = receiver.deliveries.map((d) => d.body as unknown as Body).filter((b) => b.event === "ticket.created");
    const perTicket = new Map<string, number>();
    for (const b of acted) perTicket.set(b.ticket.key, (perTicket.get(b.ticket.key) ?? 0) + 1);
    const withoutDelivery = keys.filter((k) => !perTicket.has(k));
    const withTwo = [...perTicket.entries()].filter(([, n]) => n !== 1).map(([k]) => k);
    const arrived = receiver.requests.map((r) => r.json as Body).filter((b) => b?.event === "ticket.created");
    const repeats = arrived.length - new Set(arrived.map((b) => b.delivery_id)).size;

    // Mail: every row sent, each at the SMTP server once.
    const mails = await sql<{ message_id: string; status: string }[]>`SELECT message_id, status FROM mail_outbox`;
    const atServer = new Map<string, number>();
    for (const m of sink.messages) atServer.set(m.messageId, (atServer.get(m.messageId) ?? 0) + 1);
    const notSent = mails.filter((m) => m.status !== "sent");
    const mailMissing = mails.filter((m) => !atServer.has(m.message_id));
    const mailTwice = mails.filter((m) => (atServer.get(m.message_id) ?? 0) > 1);

    // The sheet: same outcome as the control sheet, no finding twice.
    const sheet = async (id: string) => {
      const [u] = await sql<{ status: string; summary: Record<string, unknown>; findings_count: number }[]>`SELECT status, summary, findings_count FROM uploads WHERE id = ${id}`;
      const findings = await sql<{ code: string; n: number }[]>`SELECT code, count(*)::int AS n FROM upload_findings WHERE upload_id = ${id} GROUP BY code ORDER BY code`;
      const [dup] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT row, code FROM upload_findings WHERE upload_id = ${id} GROUP BY row, code HAVING count(*) > 1) d`;
      return { ...u, findings, duplicates: dup.n };
    };
    const killed = await sheet(killedUpload);
    const control = await sheet(controlUpload);

    console.log(
      `[faults/process-kill] after restart: interrupted jobs completed ${states.filter((s) => s.state === "completed").length}/${interrupted.length}; failed or dead-lettered ${failedJobs.length}; ticket.created deliveries acted on ${acted.length} for ${keys.length} tickets, requests ${arrived.length} (${repeats} repeated with the same delivery id; ${heldAtKill} held at the receiver and ${interrupted.filter((j) => j.name === "routing.push").length} push jobs active at the kill); mails ${mails.length}, not sent ${notSent.length}, missing ${mailMissing.length}, twice with the same Message-ID ${mailTwice.length} (${interrupted.filter((j) => j.name === "mail.send").length} send jobs interrupted); sheet ${killed.status}, ${killed.findings_count} findings (control ${control.findings_count}), duplicates ${killed.duplicates}`,
    );
    expect(states.filter((s) => s.state !== "completed")).toEqual([]);
    expect(failedJobs).toEqual([]);
    expect(withoutDelivery).toEqual([]);
    expect(withTwo).toEqual([]);
    // Only a push whose job the kill interrupted may arrive again, and then with the same id.
    expect(repeats).toBeLessThanOrEqual(interrupted.filter((j) => j.name === "routing.push").length);
    expect(mails.length).toBeGreaterThanOrEqual(TICKETS);
    expect(notSent).toEqual([]);
    expect(mailMissing).toEqual([]);
    // SMTP has no way to ask whether a message arrived: a kill between the server's accept and
    // our commit of `sent` means the retry sends it again, with the same Message-ID (mail
    // clients show one message). Only mail whose send job the kill interrupted may repeat.
    expect(mailTwice.length).toBeLessThanOrEqual(interrupted.filter((j) => j.name === "mail.send").length);
    expect(killed.status).toBe("done");
    expect(control.status).toBe("done");
    expect(killed.summary).toEqual(control.summary);
    expect(killed.findings_count).toBe(control.findings_count);
    expect(killed.findings).toEqual(control.findings);
    expect(killed.duplicates).toBe(0);
    failed = false;
  });
});
