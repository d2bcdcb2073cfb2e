import { getDb } from "@/db/client";
import { deactivateRuleSet, getRuleSet, updateRuleSet } from "@/lib/files/compliance/rule-sets";
import { UpdateRuleSetSchema } from "@/lib/files/compliance/schema";
import { notFound } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/rule-sets/{id} → 200 rule set (agents and admins). Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "agent", scope: "tickets:read" }, async ({ params }) => {
  const rs = await getRuleSet(await getDb(), params.id);
  if (!rs) throw notFound("Rule set");
  return rs;
});

/**
 * PUT /api/rule-sets/{id} — admins. Body {name, description?, rules, active?, expectedVersion?}
 * replaces the rule set and bumps its version → 200 rule set.
 * Errors: 400 (details.issues with paths; nothing written), 401, 403, 404, 409 (name taken, or
 * `expectedVersion` is not the stored version: details.currentVersion).
 */
export const PUT = route<Params, undefined, typeof UpdateRuleSetSchema>(
  { auth: "admin", scope: "admin", body: UpdateRuleSetSchema, maxBodyBytes: 256 * 1024 },
  async ({ params, body, principal }) => updateRuleSet(await getDb(), params.id, body, principal!),
);

/**
 * DELETE /api/rule-sets/{id} — admins. Deactivates the rule set (no longer offered for new
 * uploads; checked uploads keep it) → 200 rule set with active false. Errors: 401, 403, 404.
 */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => deactivateRuleSet(await getDb(), params.id, principal!));
