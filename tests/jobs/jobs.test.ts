import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { getBoss } from "@/lib/jobs/boss";
import { dispatchPending } from "@/lib/jobs/dispatcher";
import { emitEvents } from "@/lib/jobs/events";
import { deadLetterQueue, type JobHandler } from "@/lib/jobs/registry";
import { runEventJob } from "@/lib/jobs/run-job";
import { QUEUE_LOCK_KEY, startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { counterValue, metrics } from "@/lib/observability/metrics";
import { useTestDb } from "../helpers/db";

const t = useTestDb();

/** A handler with a real database effect: one outbox row per event. */
function outboxHandler(name: string, calls: number[]): JobHandler {
  return {
    name,
    events: ["ticket.created"],
    filter: (e) => e.payload.kind !== "skip",
    retryLimit: 2,
    retryDelayS: 1,
    async run(event, { tx }) {
      calls.push(event.id);
      await tx.insert(mailOutbox).values({
        eventId: event.id,
        handler: name,
        ticketId: null,
        toAddress: "ops@corp.test",
        subject: `event ${event.id}`,
        textBody: "test",
      });
    },
  };
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const outboxCount = (db: Db, handler: string) =>
  rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_outbox WHERE handler = ${handler}`).then((r) => r[0].n);

afterEach(async () => {
  await stopWorkers();
});

describe("durable jobs from domain events", () => {
  it("an event committed with its change becomes one job per subscribed handler, run once", async () => {
    const calls: number[] = [];
    const h = outboxHandler("test-outbox", calls);
    const workers = await startWorkers([h]);
    expect(workers).not.toBeNull();
    const ids = await t.db.transaction((tx) =>
      emitEvents(tx, [
        { type: "ticket.created", ticketId: null, actor: null, payload: { kind: "a" } },
        { type: "ticket.created", ticketId: null, actor: null, payload: { kind: "skip" } },
        { type: "comment.added", ticketId: null, actor: null, payload: {} },
      ]),
    );
    workers!.nudge();
    expect(await until(() => outboxCount(t.db, "test-outbox"), (n) => n >= 1)).toBe(1);
    expect(calls).toEqual([ids[0]]);
    const undispatched = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`);
    expect(undispatched[0].n).toBe(0);

    // At-least-once delivery: the same job delivered again acts no more.
    expect(await runEventJob(t.db, h, { eventId: ids[0] })).toBe("skipped");
    expect(await outboxCount(t.db, "test-outbox")).toBe(1);
    expect(await counterValue(metrics().jobRuns, { queue: "test-outbox", outcome: "skipped" })).toBeGreaterThanOrEqual(1);
  });

  it("a rolled-back change leaves no event and no job", async () => {
    const calls: number[] = [];
    const workers = await startWorkers([outboxHandler("test-rollback", calls)]);
    await expect(
      t.db.transaction(async (tx) => {
        await emitEvents(tx, [{ type: "ticket.created", ticketId: null, actor: null, payload: {} }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    workers!.nudge();
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).toEqual([]);
  });

  it("a failing handler is retried with backoff, rolls back each attempt, then lands in the dead-letter queue", async () => {
    let attempts = 0;
    const failing: JobHandler = {
      name: "test-failing",
      events: ["ticket.created"],
      retryLimit: 1,
      retryDelayS: 1,
      async run(event, { tx }) {
        attempts++;
        await tx.insert(mailOutbox).values({ eventId: event.id, handler: "test-failing", toAddress: "x@corp.test", subject: "s", textBody: "t" });
        throw new Error("target down");
      },
    };
    const workers = await startWorkers([failing]);
    await t.db.transaction((tx) => emitEvents(tx, [{ type: "ticket.created", ticketId: null, actor: null, payload: {} }]));
    workers!.nudge();
    const boss = await getBoss();
    const dead = await until(() => boss.getQueueSize(deadLetterQueue("test-failing")), (n) => n >= 1, 30_000);
    expect(dead).toBe(1);
    expect(attempts).toBe(2); // first attempt + 1 retry
    expect(await outboxCount(t.db, "test-failing")).toBe(0); // every attempt rolled back, receipt too
    const receipts = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM job_receipts WHERE handler = 'test-failing'`);
    expect(receipts[0].n).toBe(0);
    expect(await counterValue(metrics().backgroundErrors, { task: "events.dispatch" })).toBe(0);
  });

  it("event jobs are fetched in batches; the batch is completed together and one that fails is retried alone", async () => {
    const runs: string[] = [];
    const flaky: JobHandler = {
      name: "test-batch",
      events: ["ticket.created"],
      retryLimit: 2,
      retryDelayS: 1,
      async run(event, { tx }) {
        const kind = String(event.payload.kind);
        runs.push(kind);
        await tx.insert(mailOutbox).values({ eventId: event.id, handler: "test-batch", toAddress: "ops@corp.test", subject: kind, textBody: "t" });
        if (kind === "flaky" && runs.filter((k) => k === "flaky").length === 1) throw new Error("first attempt fails");
      },
    };
    // Queued before the workers start, so the first fetch finds all six.
    const boss = await getBoss();
    const { ensureQueues } = await import("@/lib/jobs/worker");
    const { getDbHandle } = await import("@/db/client");
    const { kind } = await getDbHandle();
    await ensureQueues(t.db, kind, boss, [flaky]);
    const kinds = ["a", "b", "flaky", "c", "d", "e"];
    await t.db.transaction((tx) => emitEvents(tx, kinds.map((k) => ({ type: "ticket.created" as const, ticketId: null, actor: null, payload: { kind: k } }))));
    await dispatchPending(t.db, boss, [flaky]);
    await startWorkers([flaky]);
    expect(await until(() => outboxCount(t.db, "test-batch"), (n) => n >= 6, 30_000)).toBe(6);
    const jobs = await until(
      () => rows<{ state: string; retry_count: number; started_on: string; kind: string }>(t.db, sql`SELECT state, retry_count, started_on::text, (SELECT payload->>'kind' FROM domain_events e WHERE e.id = (j.data->>'eventId')::bigint) AS kind FROM pgboss.job j WHERE name = 'test-batch'`),
      (js) => js.length === 6 && js.every((j) => j.state === "completed"),
    );
    expect(jobs.map((j) => j.state)).toEqual(Array(6).fill("completed"));
    expect(Object.fromEntries(jobs.map((j) => [j.kind, j.retry_count]))).toEqual({ a: 0, b: 0, flaky: 1, c: 0, d: 0, e: 0 });
    expect(runs.sort()).toEqual([...kinds, "flaky"].sort()); // the others ran once each
    // Fetched in batches: jobs taken by one fetch share its start time (at most JOBS_WORKERS fetches for six jobs).
    expect(new Set(jobs.filter((j) => j.retry_count === 0).map((j) => j.started_on)).size).toBeLessThanOrEqual(2);
  });

  it("a long job runs outside a transaction, is skipped once its receipt exists, and onDeadLetter hears of exhausted retries", async () => {
    const seen: string[] = [];
    const dead: number[] = [];
    const long: JobHandler = {
      name: "test-long",
      mode: "long",
      events: ["ticket.created"],
      retryLimit: 0,
      async run(event) {
        seen.push(`run ${event.id}`);
        if (event.payload.fail) throw new Error("storage down");
      },
      async onDeadLetter(event) {
        dead.push(event.id);
      },
    };
    const workers = await startWorkers([long]);
    const [okId, badId] = await t.db.transaction((tx) =>
      emitEvents(tx, [
        { type: "ticket.created", ticketId: null, actor: null, payload: {} },
        { type: "ticket.created", ticketId: null, actor: null, payload: { fail: true } },
      ]),
    );
    workers!.nudge();
    await until(async () => dead, (d) => d.length >= 1, 30_000);
    expect(dead).toEqual([badId]);
    expect(seen).toEqual(expect.arrayContaining([`run ${okId}`, `run ${badId}`]));
    const receipts = await rows<{ event_id: number }>(t.db, sql`SELECT event_id::int AS event_id FROM job_receipts WHERE handler = 'test-long'`);
    expect(receipts.map((r) => r.event_id)).toEqual([okId]);
    // A redelivered job whose receipt exists does not run again.
    expect(await runEventJob(t.db, long, { eventId: okId })).toBe("skipped");
    expect(seen.filter((x) => x === `run ${okId}`)).toHaveLength(1);
  });

  it("two dispatchers side by side never queue an event twice", async () => {
    const calls: number[] = [];
    const h = outboxHandler("test-parallel", calls);
    const workers = await startWorkers([h]);
    await workers!.stop(); // keep the queues, stop polling: dispatch by hand below
    const boss = await getBoss();
    await t.db.transaction((tx) =>
      emitEvents(tx, Array.from({ length: 50 }, () => ({ type: "ticket.created" as const, ticketId: null, actor: null, payload: {} }))),
    );
    const [a, b] = await Promise.all([dispatchPending(t.db, boss, [h]), dispatchPending(t.db, boss, [h])]);
    expect(a + b).toBe(50);
    expect(await boss.getQueueSize("test-parallel")).toBe(50);
  });

  it("reports the queues it put jobs in, so only their workers are woken", async () => {
    const wanted = outboxHandler("test-wake-wanted", []);
    const other: JobHandler = { name: "test-wake-other", events: ["ticket.merged"], run: async () => {} };
    const workers = await startWorkers([wanted, other]);
    await workers!.stop(); // keep the queues, stop polling: dispatch by hand below
    const boss = await getBoss();
    await t.db.transaction((tx) =>
      emitEvents(tx, [
        { type: "ticket.created" as const, ticketId: null, actor: null, payload: {} },
        { type: "ticket.created" as const, ticketId: null, actor: null, payload: { kind: "skip" } },
      ]),
    );
    const queues = new Set<string>();
    expect(await dispatchPending(t.db, boss, [wanted, other], queues)).toBe(2);
    expect([...queues]).toEqual(["test-wake-wanted"]);
    const none = new Set<string>();
    expect(await dispatchPending(t.db, boss, [wanted, other], none)).toBe(0);
    expect(none.size).toBe(0);
  });
});

describe.runIf(process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL)("several instances starting together (PostgreSQL)", () => {
  it("create their queues side by side without deadlocking", async () => {
    const { default: PgBoss } = await import("pg-boss");
    const { getDbHandle } = await import("@/db/client");
    const { ensureQueues } = await import("@/lib/jobs/worker");
    const { kind } = await getDbHandle();
    const handlers: JobHandler[] = Array.from({ length: 8 }, (_, i) => ({
      name: `test-start-${i}`,
      events: ["ticket.created"],
      run: async () => {},
    }));
    // Three "instances": their own pg-boss pools and their own app pools on one database.
    const instances = await Promise.all(
      [0, 1, 2].map(async () => {
        const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: "pgboss", max: 2, supervise: false, schedule: false });
        boss.on("error", () => {});
        await boss.start();
        const pg = (await import("postgres")).default(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
        const db = (await import("drizzle-orm/postgres-js")).drizzle(pg) as unknown as Db;
        return { boss, pg, db };
      }),
    );
    try {
      await Promise.all(instances.map((x) => ensureQueues(x.db, kind, x.boss, handlers)));
      for (const h of handlers) expect(await instances[0].boss.getQueue(h.name)).toMatchObject({ name: h.name, deadLetter: deadLetterQueue(h.name) });
    } finally {
      for (const x of instances) {
        await x.boss.stop({ graceful: false, wait: true, close: true });
        await x.pg.end();
      }
    }
  });

  it("start a worker's pg-boss, whose timekeeper creates its own queue, only under the queue-creation lock", async () => {
    // On a database no worker has started on, a scheduling pg-boss creates `__pgboss__send-it`
    // while it starts; outside the lock that deadlocked with another instance creating its queues.
    const { default: PgBoss } = await import("pg-boss");
    const postgres = (await import("postgres")).default;
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { startQueues } = await import("@/lib/jobs/worker");
    const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL!;
    const name = `sbt_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const url = u.toString();
    const pg = postgres(url, { max: 3, onnotice: () => {} });
    const db = drizzle(pg) as unknown as Db;
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    const bosses: InstanceType<typeof PgBoss>[] = [];
    const newBoss = (schedule: boolean) => {
      const b = new PgBoss({ connectionString: url, schema: "pgboss", max: 2, supervise: schedule, schedule });
      b.on("error", () => {});
      bosses.push(b);
      return b;
    };
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    const sendIt = async () => (await pg`SELECT count(*)::int AS n FROM pgboss.queue WHERE name = '__pgboss__send-it'`)[0].n;
    try {
      // The schema exists (a web-only instance installed it), the timekeeper's queue does not.
      await newBoss(false).start();
      expect(await sendIt()).toBe(0);
      const handler: JobHandler = { name: "test-start-locked", events: ["ticket.created"], run: async () => {} };
      let held!: () => void;
      const lockHeld = new Promise<void>((r) => (held = r));
      // Another instance holds the lock, as while it creates its queues.
      const holding = holder.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${QUEUE_LOCK_KEY})`;
        held();
        await released;
      });
      await lockHeld;
      let settled = false;
      const starting = startQueues(db, "postgres", () => newBoss(true).start(), [handler]).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 1500));
      expect(settled).toBe(false);
      expect(await sendIt()).toBe(0); // pg-boss has not started: it waits its turn
      release();
      await holding;
      const boss = await starting;
      expect(await sendIt()).toBe(1);
      expect(await boss.getQueue(handler.name)).toMatchObject({ name: handler.name, deadLetter: deadLetterQueue(handler.name) });
      // The lock was released with the start: another instance can take it at once.
      const [{ got }] = await holder`SELECT pg_try_advisory_lock(${QUEUE_LOCK_KEY}) AS got`;
      expect(got).toBe(true);
      await holder`SELECT pg_advisory_unlock(${QUEUE_LOCK_KEY})`;
    } finally {
      release();
      for (const b of bosses) await b.stop({ graceful: false, wait: true, close: true }).catch(() => {});
      await holder.end();
      await pg.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});
