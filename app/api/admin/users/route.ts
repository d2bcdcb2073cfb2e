import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { invitePerson, listPeople } from "@/lib/users/admin/people";
import { InvitePersonSchema, LinkSentSchema, ListPeopleQuerySchema, PeopleListSchema, PersonSchema } from "@/lib/users/admin/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/users — admins. Query ListPeopleQuerySchema (`q`, `role`, `status`
 * active|invited|deactivated, `limit` ≤ 200, `offset`). → 200 `{items: PersonDTO[], total}`,
 * newest first. Errors: 400, 401, 403.
 */
export const GET = route(
  {
    auth: "admin",
    scope: "admin",
    query: ListPeopleQuerySchema,
    openapi: { summary: "List people (search, role and status filters)", tags: ["admin"], response: PeopleListSchema },
  },
  async ({ query, principal }) => listPeople(await getDb(), query, principal!),
);

/**
 * POST /api/admin/users — admins. Body InvitePersonSchema `{email, name, role, teamSlug?}`:
 * creates the person (inactive until they accept) and mails a one-time set-password link
 * (INVITE_TTL_HOURS). → 201 `PersonDTO & {invite: {sent, to, expiresAt}}`. Errors: 400
 * (validation, unknown team), 401, 403, 409 (the e-mail has an account with a password).
 */
export const POST = route(
  {
    auth: "admin",
    scope: "admin",
    body: InvitePersonSchema,
    openapi: {
      summary: "Invite a person (mails a set-password link that expires)",
      tags: ["admin"],
      status: 201,
      response: PersonSchema.extend({ invite: LinkSentSchema }),
      requestExample: { email: "jo@example.com", name: "Jo Lee", role: "agent", teamSlug: null },
    },
  },
  async ({ body, principal }) => {
    const r = await invitePerson(await getDb(), body, principal!);
    return json({ ...r.person, invite: r.invite }, 201);
  },
);
