import "server-only";
import { slaNow } from "@/lib/sla/now";
import { runSlaSweep, SWEEP_BATCH } from "@/lib/sla/sweep";
import type { TaskHandler } from "../tasks";

/** Queue name of the breach sweep (scheduled every minute in SCHEDULES). */
export const SLA_SWEEP_TASK = "sla.sweep";

/** Most sweep batches one run takes (500 tickets each) before leaving the rest to the next minute. */
export const SWEEP_MAX_BATCHES = 20;

/**
 * The breach sweep (lib/sla/sweep.ts) at the SLA clock's now (slaNow: real time, plus the
 * test clock's offset in e2e), batch after batch while a full batch came back, at most
 * {@link SWEEP_MAX_BATCHES}. Idempotent (the sweep records each warning/breach once), so a
 * retried or overlapping run does no harm. 2 min expiry: the next minute's run takes over.
 */
export const slaSweepTask: TaskHandler<Record<string, never>> = {
  name: SLA_SWEEP_TASK,
  expireInS: 120,
  async run(_data, { db }) {
    for (let i = 0; i < SWEEP_MAX_BATCHES; i++) {
      const r = await runSlaSweep(db, await slaNow(db), { limit: SWEEP_BATCH });
      if (r.checked < SWEEP_BATCH) return;
    }
  },
};
