import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { appSettings } from "@/db/schema";
import { env } from "@/lib/env";

/** app_settings key of the test clock's offset in ms (only read when SWITCHBOARD_TEST_CLOCK=1). */
export const TEST_CLOCK_SETTING_KEY = "test_clock_offset_ms";

/**
 * "Now" for SLA arithmetic, the breach sweep and SLA reports: the real time, plus, when
 * `SWITCHBOARD_TEST_CLOCK=1` (e2e only), the offset an admin set through POST /api/test/clock.
 * The offset lives in app_settings so every instance agrees. One indexed read when enabled;
 * none otherwise.
 */
export async function slaNow(db: DbOrTx): Promise<Date> {
  if (!env().SWITCHBOARD_TEST_CLOCK) return new Date();
  return new Date(Date.now() + (await testClockOffsetMs(db)));
}

/** The test clock's offset in ms (0 when unset or disabled). */
export async function testClockOffsetMs(db: DbOrTx): Promise<number> {
  if (!env().SWITCHBOARD_TEST_CLOCK) return 0;
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, TEST_CLOCK_SETTING_KEY)).limit(1);
  const v = typeof row?.value === "number" ? row.value : Number(row?.value ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/**
 * Move the test clock forward by `advanceMs` (or set the offset with `setMs`).
 * @throws Error when SWITCHBOARD_TEST_CLOCK is off (the route answers 404 before calling this).
 * @returns the new offset in ms.
 */
export async function moveTestClock(db: DbOrTx, opts: { advanceMs?: number; setMs?: number }): Promise<number> {
  if (!env().SWITCHBOARD_TEST_CLOCK) throw new Error("the test clock is disabled (SWITCHBOARD_TEST_CLOCK is not 1)");
  const next = opts.setMs ?? (await testClockOffsetMs(db)) + (opts.advanceMs ?? 0);
  await db
    .insert(appSettings)
    .values({ key: TEST_CLOCK_SETTING_KEY, value: next })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: new Date() } });
  return next;
}
