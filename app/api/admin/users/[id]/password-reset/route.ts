import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { sendPasswordReset } from "@/lib/users/admin/people";
import { LinkSentSchema } from "@/lib/users/admin/schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * POST /api/admin/users/{id}/password-reset — admins. Mails the person a one-time reset link
 * (PASSWORD_RESET_TTL_MINUTES); no password is shown or set by the admin. → 200 `{sent, to,
 * expiresAt}`. Errors: 401, 403, 404, 409 (deactivated, or invite not accepted yet).
 */
export const POST = route<Params>(
  {
    auth: "admin",
    scope: "admin",
    openapi: { summary: "Mail a person a password-reset link", tags: ["admin"], response: LinkSentSchema, params: { id: "User id (uuid)" } },
  },
  async ({ params, principal }) => sendPasswordReset(await getDb(), params.id, principal!),
);
