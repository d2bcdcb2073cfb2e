import { z } from "zod";
import { getDb } from "@/db/client";
import { readBodyBytes } from "@/lib/http/body";
import { json, route } from "@/lib/http/route";
import { MAX_UNSUBSCRIBE_BODY_BYTES, unsubscribeWithToken } from "@/lib/mail/admin/unsubscribe";
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from "@/lib/mail/preferences";

export const dynamic = "force-dynamic";

const QuerySchema = z.strictObject({
  token: z.string().min(1, "The link has no token").max(MAX_UNSUBSCRIBE_TOKEN_LENGTH, "The token is too long"),
});

/** Read a small form body (urlencoded or multipart) with a byte limit; an unreadable body counts as empty. @throws ApiError 413. */
async function readForm(req: Request): Promise<URLSearchParams> {
  const type = req.headers.get("content-type") ?? "";
  const bytes = await readBodyBytes(req, MAX_UNSUBSCRIBE_BODY_BYTES);
  if (/^multipart\/form-data/i.test(type)) {
    try {
      const fd = await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData();
      const out = new URLSearchParams();
      for (const [k, v] of fd) if (typeof v === "string") out.append(k, v);
      return out;
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(new TextDecoder().decode(bytes));
}

/**
 * POST /api/mail/unsubscribe?token=<token> — public, no session needed (RFC 8058 one-click:
 * mail clients POST `List-Unsubscribe=One-Click` as a form body, urlencoded or multipart, to
 * the URL in our `List-Unsubscribe` header). Switches the token's kind of mail off for its
 * address; idempotent. → 200 {kind, label, enabled: false}. The /unsubscribe page's form sends
 * `return=page` as well and gets a 303 back to the page, which then confirms it.
 * Errors: 400 (missing, malformed or altered token), 413 (body over 8 KB).
 */
export const POST = route({ auth: "public", scope: "none", rateClass: "auth", query: QuerySchema }, async ({ req, query }) => {
  const form = await readForm(req);
  const done = await unsubscribeWithToken(await getDb(), query.token);
  if (form.get("return") === "page") {
    const to = new URL(`/unsubscribe?token=${encodeURIComponent(query.token)}`, req.nextUrl.origin);
    return new Response(null, { status: 303, headers: { Location: `${to.pathname}${to.search}` } });
  }
  return json({ kind: done.kind, label: done.label, enabled: false });
});
