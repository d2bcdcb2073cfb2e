import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { uploads } from "@/db/schema";

/** Least time between two progress writes of one upload, in ms. */
const MIN_INTERVAL_MS = 250;

/**
 * A progress reporter for one upload: `report(fraction)` writes `uploads.progress` (0–1,
 * never backwards) at most every {@link MIN_INTERVAL_MS} ms, committed at once so the page's
 * polling sees it while the job runs. `force` writes regardless of the interval.
 */
export function progressReporter(db: DbOrTx, uploadId: string): (fraction: number, force?: boolean) => Promise<void> {
  let last = 0;
  let shown = 0;
  return async (fraction, force = false) => {
    const p = Math.max(shown, Math.min(0.99, Math.max(0, fraction)));
    const now = Date.now();
    if (!force && now - last < MIN_INTERVAL_MS) return;
    if (p === shown && !force) return;
    last = now;
    shown = p;
    await db.update(uploads).set({ progress: p }).where(and(eq(uploads.id, uploadId), eq(uploads.status, "processing")));
  };
}
