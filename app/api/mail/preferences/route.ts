import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getMyPreferences, updateMyPreferences } from "@/lib/mail/admin/my-preferences";
import { UpdatePreferencesSchema } from "@/lib/mail/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/mail/preferences — any signed-in person. → 200 {email, kinds: [{kind, label,
 * enabled}]}: the optional mails the role gets (requesters: received, agent reply, waiting on
 * you, resolved, reopened; agents and admins also assigned, team new ticket, watcher message).
 * Errors: 401, 403 (an API key without an address).
 */
export const GET = route({ auth: "signed-in", scope: "tickets:read" }, async ({ principal }) => getMyPreferences(await getDb(), principal!));

/**
 * PUT /api/mail/preferences — any signed-in person. Body UpdatePreferencesSchema {<kind>: boolean, …}
 * (at least one; kinds left out keep their setting) → 200 as GET. Errors: 400 (unknown kind, a
 * kind the role does not get, no kind), 401, 403.
 */
export const PUT = route({ auth: "signed-in", scope: "tickets:write", body: UpdatePreferencesSchema }, async ({ principal, body }) => updateMyPreferences(await getDb(), principal!, body));
