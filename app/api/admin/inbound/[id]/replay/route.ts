import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { parseRowId } from "@/lib/mail/admin/outbox";
import { replayInbound } from "@/lib/mail/inbound/replay";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * POST /api/admin/inbound/{id}/replay — admins. Processes a `failed` or `received` inbound
 * message again from its raw bytes (lib/mail/inbound/replay.ts; no rate limit).
 * → 200 {inboundId, status, duplicate, action?, ticketKey?, reason?, error?}.
 * Errors: 401, 403, 404, 409 (the message is not failed or received).
 */
export const POST = route<Params>({ auth: "admin", scope: "admin" }, async ({ params }) => replayInbound(await getDb(), parseRowId(params.id, "Inbound message")));
