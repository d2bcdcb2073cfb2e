import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import { JOB_HANDLERS, TASK_HANDLERS } from "@/lib/jobs/handlers";
import { deadLetterQueue } from "@/lib/jobs/registry";
import { enqueueTask } from "@/lib/jobs/tasks";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { getReadiness, markStartup, resetReadinessForTests } from "@/lib/observability/readiness";
import { useTestDb } from "../helpers/db";

/*
 * A web-only instance (JOBS_WORKERS=0) started on a database no worker has touched yet: it
 * installs pg-boss's schema and every queue itself, so it is ready and its requests can enqueue
 * tasks, and it works no job (docs/DEPLOYMENT.md, scaling out).
 */
const t = useTestDb();
const before = process.env.JOBS_WORKERS;
afterAll(async () => {
  await stopWorkers();
  if (before === undefined) delete process.env.JOBS_WORKERS;
  else process.env.JOBS_WORKERS = before;
  resetEnvForTests();
  resetReadinessForTests();
});

describe("a web-only instance (JOBS_WORKERS=0)", () => {
  it("installs the queue schema and queues on a fresh database, is ready, enqueues, and runs nothing", async () => {
    const schema = async () => (await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'pgboss'`))[0].n;
    expect(await schema()).toBe(0); // no worker has ever run on this database

    process.env.JOBS_WORKERS = "0";
    resetEnvForTests();
    expect(await startWorkers()).toBeNull();

    expect(await schema()).toBe(1);
    const queues = (await rows<{ name: string }>(t.db, sql`SELECT name FROM pgboss.queue`)).map((r) => r.name);
    for (const h of [...JOB_HANDLERS, ...TASK_HANDLERS]) expect(queues).toEqual(expect.arrayContaining([h.name, deadLetterQueue(h.name)]));

    resetReadinessForTests();
    markStartup("ready");
    const r = await getReadiness();
    expect(r.checks.queue).toMatchObject({ status: "ok", required: true });

    const task = TASK_HANDLERS[0].name;
    const id = await t.db.transaction((tx) => enqueueTask(tx, task, { pushId: 0 }));
    await new Promise((r) => setTimeout(r, 1500));
    const [job] = await rows<{ state: string }>(t.db, sql`SELECT state::text FROM pgboss.job WHERE id = ${id}::uuid`);
    expect(job.state).toBe("created"); // nobody works it here: a worker instance will

    if (t.kind === "postgres") {
      // The installing pg-boss closed its own pool: no connection of it stays open.
      const [c] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'switchboard-jobs'`);
      expect(c.n).toBe(0);
    }
  });
});
