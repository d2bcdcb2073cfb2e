import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * Periodic background tasks of a worker process (event dispatch, stats folding). Each run's
 * failure is logged and counted (`switchboard_background_errors_total{task}`), never
 * swallowed; a run never overlaps the previous one in the same process. Tasks that must run
 * in one process at a time across instances take a PostgreSQL advisory lock themselves.
 */
export interface PeriodicTask {
  name: string;
  intervalMs: number;
  run: (db: Db) => Promise<unknown>;
}

export interface RunningTask {
  stop: () => Promise<void>;
  /** Run now (or right after the current run), e.g. after a local write. */
  nudge: () => void;
}

/** Start a task: first run after `intervalMs`, then every `intervalMs` after each run ends. */
export function startPeriodic(db: Db, task: PeriodicTask): RunningTask {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | null = null;
  let again = false;
  const tick = async () => {
    timer = undefined;
    if (stopped) return;
    try {
      await task.run(db);
    } catch (err) {
      metrics().backgroundErrors.inc({ task: task.name });
      logger.error({ err, task: task.name }, "background task failed");
    }
  };
  const schedule = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      current = tick().finally(() => {
        current = null;
        const now = again;
        again = false;
        schedule(now ? 0 : task.intervalMs);
      });
    }, ms);
    timer.unref();
  };
  schedule(task.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
    nudge() {
      if (current) again = true;
      else if (timer) {
        clearTimeout(timer);
        timer = undefined;
        schedule(0);
      }
    },
  };
}

/**
 * Run `fn` in a transaction holding advisory lock `key`, or skip (returning null) when another
 * process holds it: for work that must not run twice at once across instances.
 */
export async function withTryLock<T>(db: Db, key: number, fn: (tx: Parameters<Parameters<Db["transaction"]>[0]>[0]) => Promise<T>): Promise<T | null> {
  return db.transaction(async (tx) => {
    const [r] = await rows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${key}) AS ok`);
    if (!r?.ok) return null;
    return fn(tx);
  });
}
