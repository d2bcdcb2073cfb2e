import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { UpdateTeamAssignmentSchema } from "@/lib/routing/targets/schemas";
import { getTeamAssignment, setTeamAssignmentMode } from "@/lib/routing/targets/team-assignment";

export const dynamic = "force-dynamic";

type Params = { slug: string };

/** GET /api/teams/{slug} — agents and admins. → 200 {slug, name, description, email, assignmentMode}. Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "agent", scope: "tickets:read" }, async ({ params }) => getTeamAssignment(await getDb(), params.slug));

/**
 * PATCH /api/teams/{slug} — admins, and agents of that team. Body {assignmentMode: auto |
 * round_robin | manual} → 200 the team. Errors: 400, 401, 403 (an agent of another team), 404.
 */
export const PATCH = route<Params, undefined, typeof UpdateTeamAssignmentSchema>(
  { auth: "agent", scope: "tickets:write", body: UpdateTeamAssignmentSchema },
  async ({ params, body, principal }) => setTeamAssignmentMode(await getDb(), params.slug, body, principal!),
);
