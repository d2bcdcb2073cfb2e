import { getDb } from "@/db/client";
import { createTeam } from "@/lib/admin/categories";
import { CreateTeamSchema } from "@/lib/admin/schemas";
import { json, route } from "@/lib/http/route";
import { getReferenceData } from "@/lib/reference/cache";

export const dynamic = "force-dynamic";

/** GET /api/teams → 200 {items: [{slug, name, description}]} (signed-in). */
export const GET = route({ auth: "requester", scope: "tickets:read" }, async () => ({ items: (await getReferenceData(await getDb())).teams }));

/** POST /api/teams — admins. Body {slug, name, description?, email?} → 201 team. Errors: 400, 401, 403, 409. */
export const POST = route({ auth: "admin", scope: "admin", body: CreateTeamSchema }, async ({ body, principal }) =>
  json(await createTeam(await getDb(), body, principal!), 201),
);
