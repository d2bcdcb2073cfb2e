import { getDb } from "@/db/client";
import { createRuleSet, listRuleSets } from "@/lib/files/compliance/rule-sets";
import { ListRuleSetsQuerySchema, RuleSetSchema } from "@/lib/files/compliance/schema";
import { json, route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/rule-sets[?active=true] → 200 {items: RuleSet[]} by name (agents and admins). Errors: 400, 401, 403. */
export const GET = route({ auth: "agent", scope: "tickets:read", query: ListRuleSetsQuerySchema }, async ({ query }) => ({
  items: await listRuleSets(await getDb(), { activeOnly: query.active === "true" }),
}));

/**
 * POST /api/rule-sets — admins. Body {name, description?, rules, active?} → 201 rule set (version 1).
 * Errors: 400 validation_error (details.issues with paths such as `rules.2.regex`; nothing written),
 * 401, 403, 409 name taken (ignoring case).
 */
export const POST = route({ auth: "admin", scope: "admin", body: RuleSetSchema, maxBodyBytes: 256 * 1024 }, async ({ body, principal }) =>
  json(await createRuleSet(await getDb(), body, principal!), 201),
);
