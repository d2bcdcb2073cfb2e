import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { getInboundRaw } from "@/lib/mail/admin/inbound";
import { parseRowId } from "@/lib/mail/admin/outbox";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * GET /api/admin/inbound/{id}/raw — admins. The raw RFC 822 message as a download
 * (`Content-Type: message/rfc822`, `Content-Disposition: attachment; filename="inbound-<id>.eml"`).
 * Errors: 401, 403, 404.
 */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params }) => {
  const { raw, filename } = await getInboundRaw(await getDb(), parseRowId(params.id, "Inbound message"));
  return new Response(new Uint8Array(raw), {
    status: 200,
    headers: {
      "Content-Type": "message/rfc822",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Content-Length": String(raw.length),
      "Cache-Control": "no-store",
    },
  });
});
