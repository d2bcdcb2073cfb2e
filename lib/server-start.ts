import "server-only";
import { getDb } from "@/db/client";
import { seedReferenceData } from "@/db/seed";
import { ensureSetupToken } from "@/lib/auth/setup";
import { authSecret } from "@/lib/auth/secret";
import { logger } from "@/lib/observability/logger";
import { markStartup } from "@/lib/observability/readiness";
import { backfillTicketSlas } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import { startWorkersInBackground } from "@/lib/jobs/worker";
import { startLearning } from "@/lib/triage/learning";
import { localModel } from "@/lib/triage/local-classifier";

const globalForStart = globalThis as unknown as { __switchboardStarted?: Promise<void> };

/**
 * Everything the server does once at start-up (idempotent per process): migrate, seed reference
 * data (never demo data), give open tickets without an SLA clock one (up to 1,000), offer the first-run setup link while there is no admin, resolve the
 * auth secret, load the local model and replay agents' corrections into it, and start the job
 * workers (event dispatch, job queues, stats folding) unless JOBS_WORKERS=0.
 */
export function startServer(): Promise<void> {
  globalForStart.__switchboardStarted ??= (async () => {
    const t0 = Date.now();
    const db = await getDb();
    await seedReferenceData(db); // never demo data: that is `npm run demo` alone (scripts/demo-seed.mts)
    const sla = await backfillTicketSlas(db, await slaNow(db)); // open tickets without an SLA clock (filed before SLAs)
    if (sla.created) logger.info(sla, "SLA clocks backfilled");
    await ensureSetupToken(db); // no admin yet: log a one-time /setup link
    authSecret();
    localModel();
    const corrections = await startLearning(db);
    const workers = await startWorkersInBackground(); // null when JOBS_WORKERS=0 (web-only) or retrying
    markStartup("ready"); // GET /api/health/ready answers 503 until here
    logger.info({ ms: Date.now() - t0, corrections, workers: workers !== null }, "switchboard ready");
  })().catch((err: unknown) => {
    markStartup("failed", err);
    throw err;
  });
  return globalForStart.__switchboardStarted;
}
