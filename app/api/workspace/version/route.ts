import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { workspaceVersion } from "@/lib/workspace/version";

export const dynamic = "force-dynamic";

/**
 * GET /api/workspace/version — agents: `{version}`, a marker that changes whenever a ticket is
 * created or changed or gets a comment, on any app instance (it comes from the database). The
 * ticket list polls it and re-renders when it changes. → 200 {version}. Errors: 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read" }, async () => json({ version: await workspaceVersion(await getDb()) }, 200, { "Cache-Control": "no-store" }));
