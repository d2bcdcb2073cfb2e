import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { suggestDeflections } from "@/lib/portal/deflection";
import { assertMaySubmit, DEFLECTION_SUGGEST_LIMIT } from "@/lib/portal/deflection-access";
import { DeflectionSuggestSchema } from "@/lib/portal/schemas";

export const dynamic = "force-dynamic";

/**
 * POST /api/deflections/suggest — body {title?, description}: answers of similar resolved
 * tickets for the text typed on /submit, before a ticket is filed. Writes nothing.
 * → 200 {suggestions: [{key, categoryName, resolution, similarity}]} (at most 3; only the
 * agent-written resolution and the category, never titles, descriptions, comments or e-mails).
 * Anyone who may submit: signed in, or anonymous while PUBLIC_SUBMISSIONS is on. 60 calls a
 * minute per caller (principal, else IP), shared across instances.
 * Errors: 400, 401 (anonymous with public submissions off), 413, 415, 429.
 */
export const POST = route({ auth: "public", scope: "none", rateClass: "classify", body: DeflectionSuggestSchema, rateLimit: DEFLECTION_SUGGEST_LIMIT }, async ({ body, principal }) => {
  assertMaySubmit(principal);
  return suggestDeflections(await getDb(), body, principal);
});
