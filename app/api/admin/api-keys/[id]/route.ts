import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getApiKey, revokeApiKey } from "@/lib/auth/api-keys-admin";
import { ApiKeySchema } from "@/lib/auth/api-keys-schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/admin/api-keys/{id} — admins. → 200 ApiKeyDTO (no secret, no hash). Errors: 401, 403, 404. */
export const GET = route<Params>(
  { auth: "admin", scope: "admin", openapi: { summary: "Get one API key", tags: ["admin"], response: ApiKeySchema } },
  async ({ params, principal }) => getApiKey(await getDb(), params.id, principal!),
);

/**
 * DELETE /api/admin/api-keys/{id} — admins. Revokes the key (idempotent): → 200 ApiKeyDTO with
 * `revokedAt`. The key is refused (401) at once on this instance, within 10 s (key cache TTL)
 * on others. Errors: 401, 403, 404.
 */
export const DELETE = route<Params>(
  { auth: "admin", scope: "admin", openapi: { summary: "Revoke an API key", tags: ["admin"], response: ApiKeySchema } },
  async ({ params, principal }) => revokeApiKey(await getDb(), params.id, principal!),
);
