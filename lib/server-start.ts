import { getDb } from "@/db/client";
import { seedReferenceData } from "@/db/seed";
import { ensureSetupToken } from "@/lib/auth/setup";
import { authSecret } from "@/lib/auth/secret";
import { logger } from "@/lib/observability/logger";
import { startStatsFolder } from "@/lib/tickets/stats";
import { startLearning } from "@/lib/triage/learning";
import { localModel } from "@/lib/triage/local-classifier";

const globalForStart = globalThis as unknown as { __switchboardStarted?: Promise<void> };

/**
 * Everything the server does once at start-up (idempotent per process): migrate, seed reference
 * data (and demo data on the embedded default), resolve the auth secret, load the local model
 * and replay agents' corrections into it, start folding stats deltas every 2 s.
 */
export function startServer(): Promise<void> {
  globalForStart.__switchboardStarted ??= (async () => {
    const t0 = Date.now();
    const db = await getDb();
    await seedReferenceData(db); // never demo data: that is `npm run demo` alone (scripts/demo-seed.mts)
    await ensureSetupToken(db); // no admin yet: log a one-time /setup link
    authSecret();
    localModel();
    const corrections = await startLearning(db);
    startStatsFolder(db);
    logger.info({ ms: Date.now() - t0, corrections }, "switchboard ready");
  })();
  return globalForStart.__switchboardStarted;
}
