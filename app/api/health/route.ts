import { NextResponse } from "next/server";
import { getHealth } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

/**
 * GET /api/health — public. → 200 {status: "ok", version, checks: {database, model}} or 503
 * with status "degraded" when a check fails. The database probe is cached for 1 s so health
 * polling cannot load the database.
 */
export async function GET(): Promise<Response> {
  const h = await getHealth();
  return NextResponse.json(h, { status: h.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
