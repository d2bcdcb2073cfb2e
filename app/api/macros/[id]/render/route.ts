import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { renderMacro } from "@/lib/macros/macros";
import { RenderMacroSchema } from "@/lib/macros/schemas";

export const dynamic = "force-dynamic";

/**
 * POST /api/macros/{id}/render — body {ticketKey}: the macro filled for that ticket (placeholders
 * replaced server-side) and counted as used. Changes nothing on the ticket: the composer sends
 * the body and applies `actions` together. → 200 {body, internal, actions}.
 * Errors: 400, 401, 403 (requesters), 404 (unknown macro or ticket).
 */
export const POST = route<{ id: string }, undefined, typeof RenderMacroSchema>({ auth: "agent", scope: "tickets:write", body: RenderMacroSchema }, async ({ params, body, principal }) =>
  renderMacro(await getDb(), principal!, params.id, body.ticketKey),
);
