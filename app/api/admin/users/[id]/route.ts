import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getPerson, updatePerson } from "@/lib/users/admin/people";
import { PersonSchema, UpdatePersonSchema } from "@/lib/users/admin/schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/admin/users/{id} — admins. → 200 PersonDTO. Errors: 401, 403, 404. */
export const GET = route<Params>(
  { auth: "admin", scope: "admin", openapi: { summary: "One person", tags: ["admin"], response: PersonSchema, params: { id: "User id (uuid)" } } },
  async ({ params, principal }) => getPerson(await getDb(), params.id, principal!),
);

/**
 * PATCH /api/admin/users/{id} — admins. Body UpdatePersonSchema: any of `role`, `teamSlug`
 * (null: none), `active`. A role change or deactivation ends the person's sessions and revokes
 * their API keys. → 200 PersonDTO. Errors: 400, 401, 403, 404, 409 (`details.reason`
 * "last_admin": the last active admin cannot be demoted or deactivated).
 */
export const PATCH = route<Params, undefined, typeof UpdatePersonSchema>(
  {
    auth: "admin",
    scope: "admin",
    body: UpdatePersonSchema,
    openapi: {
      summary: "Change a person's role, team or active flag",
      tags: ["admin"],
      response: PersonSchema,
      params: { id: "User id (uuid)" },
      requestExample: { role: "agent", teamSlug: "infrastructure", active: true },
    },
  },
  async ({ params, body, principal }) => updatePerson(await getDb(), params.id, body, principal!),
);
