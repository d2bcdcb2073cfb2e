import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { recordDeflection } from "@/lib/portal/deflection";
import { assertMaySubmit, DEFLECTION_RECORD_LIMIT } from "@/lib/portal/deflection-access";
import { DeflectionSchema } from "@/lib/portal/schemas";

export const dynamic = "force-dynamic";

/**
 * POST /api/deflections — body {ticketKey}: "This solved my problem" on a suggestion from
 * /api/deflections/suggest; counted as a deflection (with the caller's e-mail when signed in)
 * and no ticket is filed. → 201 {recorded: true}.
 * Anyone who may submit; 10 a minute per caller. Errors: 400, 401 (anonymous with public
 * submissions off), 404 (no resolved ticket with a resolution under that key), 429.
 */
export const POST = route({ auth: "public", scope: "none", body: DeflectionSchema, rateLimit: DEFLECTION_RECORD_LIMIT }, async ({ body, principal }) => {
  assertMaySubmit(principal);
  return json(await recordDeflection(await getDb(), body, principal), 201);
});
