/**
 * `npm run worker`: run background job workers alone (no web server) against DATABASE_URL:
 * event dispatch, every job queue and stats folding. Start as many as you like beside web
 * instances started with JOBS_WORKERS=0; the queue hands each job to one worker.
 * Needs PostgreSQL: the embedded database belongs to the one app process that opened it.
 * Stops gracefully on SIGTERM/SIGINT (running jobs finish, up to 10 s).
 */
import { closeDb, getDb } from "@/db/client";
import { seedReferenceData } from "@/db/seed";
import { env } from "@/lib/env";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { logger } from "@/lib/observability/logger";
import { localModel } from "@/lib/triage/local-classifier";

if (!env().DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL (PostgreSQL). With the embedded database, the app process runs its own workers.");
  process.exit(2);
}
if (env().JOBS_WORKERS === 0) {
  console.error("JOBS_WORKERS=0 disables workers; unset it (default 2) or set a concurrency for this worker process.");
  process.exit(2);
}
// pg-boss 10 settles a finished job with un-awaited complete()/fail() calls: while PostgreSQL is
// down those reject with nobody listening, which would kill this process (Node's default). The
// job is not lost (it expires and is retried), so log and go on, as `next start` does.
process.on("unhandledRejection", (err) => logger.warn({ err }, "unhandled rejection (job queue); the job is retried when it expires"));
const db = await getDb(); // migrates
await seedReferenceData(db);
localModel(); // handlers may triage (e.g. e-mail in); load once up front
await startWorkers();
logger.info({ pid: process.pid }, "worker process running (JOBS_WORKERS=%d)", env().JOBS_WORKERS);

let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: sig }, "worker stopping");
    void stopWorkers()
      .then(() => closeDb())
      .finally(() => process.exit(0));
  });
}
