import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { errorResponse, route } from "@/lib/http/route";
import { moveTestClock, slaNow, testClockOffsetMs } from "@/lib/sla/now";
import { runSlaSweep, type SweepResult } from "@/lib/sla/sweep";
import { TestClockSchema } from "@/lib/sla/test-clock-schema";

/*
 * The injectable SLA clock for end-to-end tests (docs/SLA.md "Test clock (e2e)"). Test-only:
 * it exists only when SWITCHBOARD_TEST_CLOCK=1 (404 otherwise, before authentication) and is
 * deliberately left out of the OpenAPI document (lib/http/openapi.ts), which describes the
 * product API.
 */

export const dynamic = "force-dynamic";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>;

/** 404 (as if the route did not exist) unless SWITCHBOARD_TEST_CLOCK=1; then the wrapped handler. */
function onlyWithTestClock(handler: Handler): Handler {
  return async (req, ctx) =>
    env().SWITCHBOARD_TEST_CLOCK ? handler(req, ctx) : errorResponse(new ApiError("not_found", "Not found"), req);
}

/**
 * GET /api/test/clock — admins, only with SWITCHBOARD_TEST_CLOCK=1. → 200 {offsetS}: how far
 * the SLA clock (lib/sla/now.ts slaNow) runs ahead of real time, in seconds.
 * Errors: 401, 403, 404 (test clock disabled).
 */
export const GET = onlyWithTestClock(
  route({ auth: "admin", scope: "admin" }, async () => ({ offsetS: (await testClockOffsetMs(await getDb())) / 1000 })),
);

/**
 * POST /api/test/clock — admins, only with SWITCHBOARD_TEST_CLOCK=1. Body TestClockSchema
 * {advanceS} or {setS} (whole seconds), optionally with `sweep: true` (also alone) → 200
 * {offsetS, sweep?}: the new offset in seconds, and with `sweep` the SweepResult {checked,
 * warnings, breaches} of one SLA breach sweep (lib/sla/sweep.ts runSlaSweep) run at the moved
 * time, so a test need not wait for the every-minute `sla.sweep` job. Every app instance reads
 * the offset from app_settings, so the whole deployment moves together.
 * Errors: 400 (validation: neither or both of advanceS/setS, not an integer), 401, 403, 404 (disabled).
 */
export const POST = onlyWithTestClock(
  route({ auth: "admin", scope: "admin", body: TestClockSchema }, async ({ body }) => {
    const db = await getDb();
    const offsetMs =
      body.setS !== undefined
        ? await moveTestClock(db, { setMs: body.setS * 1000 })
        : body.advanceS !== undefined
          ? await moveTestClock(db, { advanceMs: body.advanceS * 1000 })
          : await testClockOffsetMs(db);
    const out: { offsetS: number; sweep?: SweepResult } = { offsetS: offsetMs / 1000 };
    if (body.sweep) out.sweep = await runSlaSweep(db, await slaNow(db));
    return out;
  }),
);
