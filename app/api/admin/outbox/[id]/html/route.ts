import { getDb } from "@/db/client";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { getOutboxHtml, OUTBOX_HTML_CSP, parseRowId } from "@/lib/mail/admin/outbox";

export const dynamic = "force-dynamic";

type Params = { id: string };

/**
 * GET /api/admin/outbox/{id}/html — admins. The mail's HTML part as a page for the outbox
 * detail's `<iframe sandbox>`: text/html under a strict CSP of its own (no scripts, no
 * requests; inline styles, data: and https: images; `sandbox`; framable by this site only),
 * never cached. (next.config.ts leaves this path out of its deny-all API headers.)
 * Errors: 401, 403, 404 (no such mail, or it has no HTML part).
 */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params }) => {
  const html = await getOutboxHtml(await getDb(), parseRowId(params.id, "Mail"));
  if (html === null) throw new ApiError("not_found", "This mail has no HTML part");
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": OUTBOX_HTML_CSP,
      "X-Frame-Options": "SAMEORIGIN",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    },
  });
});
