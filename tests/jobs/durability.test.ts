import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { useScratchDatabase } from "../helpers/db";
import { sql } from "drizzle-orm";
import { closeDb, getDb, rows } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { dispatchPending } from "@/lib/jobs/dispatcher";
import { currentEventCursor, emitEvents, readEventsAfter } from "@/lib/jobs/events";
import type { JobHandler } from "@/lib/jobs/registry";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";

/*
 * Jobs survive a restart: events are dispatched into pg-boss jobs, the process "stops" (queue
 * and database closed), a new one opens the same database and works them. On the embedded
 * default this uses a PGlite folder (not memory); with DATABASE_URL a fresh PostgreSQL database.
 */
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
const dir = adminUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), "sb-jobs-"));
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  drop = await useScratchDatabase(dir ?? undefined);
});

afterAll(async () => {
  await stopWorkers();
  await stopBoss();
  await closeDb();
  await drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const ran: number[] = [];
const handler: JobHandler = {
  name: "test-durable",
  events: ["ticket.created"],
  async run(event, { tx }) {
    ran.push(event.id);
    await tx.insert(mailOutbox).values({ eventId: event.id, handler: "test-durable", toAddress: "x@corp.test", subject: "s", textBody: "t" });
  },
};

describe("jobs survive a restart", () => {
  it("queued jobs and undispatched events are worked after the process restarts", async () => {
    let db = await getDb();
    // First "process": create the queues, queue one job, leave one event undispatched, stop.
    const first = await startWorkers([handler]);
    await first!.stop();
    await stopWorkers();
    const boss = await getBoss();
    const [queued] = await db.transaction((tx) => emitEvents(tx, [{ type: "ticket.created", ticketId: null, actor: null, payload: {} }]));
    expect(await dispatchPending(db, boss, [handler])).toBe(1);
    expect(await boss.getQueueSize("test-durable")).toBe(1);
    const [pending] = await db.transaction((tx) => emitEvents(tx, [{ type: "ticket.created", ticketId: null, actor: null, payload: {} }]));
    await stopBoss();
    await closeDb();
    expect(ran).toEqual([]);

    // Second "process" on the same database.
    db = await getDb();
    const second = await startWorkers([handler]);
    second!.nudge();
    const t0 = Date.now();
    // `ran` is filled inside the handler, before its transaction commits: wait for the rows too.
    const committed = async () =>
      (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_outbox WHERE handler = 'test-durable'`))[0].n;
    while ((ran.length < 2 || (await committed()) < 2) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
    expect(ran.sort()).toEqual([queued, pending].sort());
    expect(await committed()).toBe(2);
  });
});

describe.runIf(adminUrl)("the event stream is read in commit order (PostgreSQL: needs two connections)", () => {
  it("an event whose transaction commits late is not skipped by a reader that already saw later ids", async () => {
    const db = await getDb();
    const start = await currentEventCursor(db);
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      // A long transaction takes an event id first and commits last.
      const reserved = other.reserve();
      const conn = await reserved;
      await conn.unsafe("BEGIN");
      const [late] = await conn.unsafe(`INSERT INTO domain_events (type, payload) VALUES ('ticket.updated', '{"n":"late"}') RETURNING id`);
      const [early] = await db.transaction((tx) => emitEvents(tx, [{ type: "ticket.updated", ticketId: null, actor: null, payload: { n: "early" } }]));
      expect(Number(late.id)).toBeLessThan(early);

      // While the long transaction runs, a reader sees neither (the horizon stops before it)…
      const first = await readEventsAfter(db, start, { types: ["ticket.updated"] });
      expect(first.events.map((e) => e.payload.n)).toEqual([]);
      await conn.unsafe("COMMIT");
      conn.release();
      // …and once it commits, both, in commit order, with nothing lost. Transaction ids are
      // server-wide: another database's open transaction (parallel test files) can hold the
      // horizon back for a moment, so read on until both arrived (or 20 s passed).
      const seen: unknown[] = [];
      let cursor = first.cursor;
      for (const until = Date.now() + 20_000; seen.length < 2 && Date.now() < until; ) {
        const next = await readEventsAfter(db, cursor, { types: ["ticket.updated"] });
        seen.push(...next.events.map((e) => e.payload.n));
        cursor = next.cursor;
        if (seen.length < 2) await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toEqual(["late", "early"]);
      const third = await readEventsAfter(db, cursor, { types: ["ticket.updated"] });
      expect(third.events).toEqual([]);
    } finally {
      await other.end();
    }
  });
});
