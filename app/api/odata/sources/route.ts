import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { CreateODataSourceSchema } from "@/lib/odata/schemas";
import { createSource, listSources } from "@/lib/odata/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/odata/sources — admins. → 200 {items: ODataSourceDTO[]} by name, each with `lastRun`.
 * The secret is never returned (`hasSecret`). Errors: 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin" }, async ({ principal }) => ({ items: await listSources(await getDb(), principal!) }));

/**
 * POST /api/odata/sources — admins. Body CreateODataSourceSchema → 201 ODataSourceDTO.
 * Errors: 400 (validation; basic/bearer without username/secret), 401, 403, 409 (name taken),
 * 422 (unknown category/team).
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreateODataSourceSchema }, async ({ body, principal }) => json(await createSource(await getDb(), body, principal!), 201));
