import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { BulkBodySchema, bulkUpdate } from "@/lib/tickets/bulk";

export const dynamic = "force-dynamic";

/**
 * POST /api/tickets/bulk — agents. Body {keys: ["T-1", …] (1–100, duplicates dropped), action}
 * with action one of {type:"assign", assignee: uuid|null}, {type:"team", team: slug|null},
 * {type:"status", status, waitingReason?}, {type:"priority", priority}, {type:"category", category},
 * {type:"merge", into: key}, {type:"close", note, public?: false}.
 * Each ticket is changed in its own transaction with the rules of PATCH /api/tickets/{key}
 * (merge: POST /api/tickets/{key}/merge), so → 200 {results: [{key, ok, error?: {code, message}}],
 * summary: {ok, failed}} EVEN WHEN SOME OR ALL TICKETS FAILED (e.g. a closed ticket:
 * invalid_transition; an unknown key: not_found). Errors: 400 bad input, 401, 403 (requesters),
 * 422 unknown category/team or merge target (nothing changed).
 */
export const POST = route<Record<string, never>, undefined, typeof BulkBodySchema>({ auth: "agent", scope: "tickets:write", body: BulkBodySchema }, async ({ body, principal }) =>
  bulkUpdate(await getDb(), body, principal!),
);
