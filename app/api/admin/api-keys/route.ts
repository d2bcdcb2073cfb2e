import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createApiKeyAsAdmin, listApiKeys } from "@/lib/auth/api-keys-admin";
import { ApiKeyListSchema, CreateApiKeySchema, CreatedApiKeySchema } from "@/lib/auth/api-keys-schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/api-keys — admins. → 200 `{items: ApiKeyDTO[]}` newest first, revoked keys
 * included (prefix, owner, scopes, created, created by, expires, last used, request count,
 * revoked); never the secret or its hash. Errors: 401, 403.
 */
export const GET = route(
  { auth: "admin", scope: "admin", openapi: { summary: "List API keys (never their secrets)", tags: ["admin"], response: ApiKeyListSchema } },
  async ({ principal }) => ({ items: await listApiKeys(await getDb(), principal!) }),
);

/**
 * POST /api/admin/api-keys — admins. Body CreateApiKeySchema `{name, userId?, scopes[],
 * expiresAt? | expiresInDays?}`. → 201 `{key: ApiKeyDTO, secret}`; the secret is shown only
 * in this response. Errors: 400 (validation, expiry not in the future), 401, 403, 404 (owner
 * unknown/inactive), 422 (scopes beyond the owner's role).
 */
export const POST = route(
  {
    auth: "admin",
    scope: "admin",
    body: CreateApiKeySchema,
    openapi: {
      summary: "Create an API key (the secret is returned once)",
      tags: ["admin"],
      status: 201,
      response: CreatedApiKeySchema,
      requestExample: { name: "n8n", scopes: ["tickets:read", "tickets:write"], expiresInDays: 90 },
    },
  },
  async ({ body, principal }) => json(await createApiKeyAsAdmin(await getDb(), body, principal!), 201),
);
