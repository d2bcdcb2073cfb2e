import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { CreateTargetSchema, ListTargetsQuerySchema } from "@/lib/routing/targets/schemas";
import { createTarget, listTargets } from "@/lib/routing/targets/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/routing/targets[?team=<slug>] — admins. → 200 {items: TargetDTO[]} by team, then name.
 * Header values and secrets are never returned (`headerNames`, `hasSecret`). Errors: 400, 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin", query: ListTargetsQuerySchema }, async ({ query, principal }) => ({
  items: await listTargets(await getDb(), principal!, { team: query.team }),
}));

/**
 * POST /api/routing/targets — admins. Body CreateTargetSchema {name, team, kind, url, method?,
 * headers?, secret?, config?, priorityThreshold?, active?, retryLimit?, retryDelayS?} → 201 TargetDTO.
 * Errors: 400 (validation, incl. config not fitting the kind: details.issues paths such as
 * `config.projectKey`), 401, 403, 409 (the team has a mapping of that name), 422 (unknown team).
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreateTargetSchema }, async ({ body, principal }) =>
  json(await createTarget(await getDb(), body, principal!), 201),
);
