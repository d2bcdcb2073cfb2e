import crypto from "node:crypto";
import { getDb } from "@/db/client";
import { readIdempotencyKey, REPLAYED_HEADER, withIdempotency } from "@/lib/http/idempotency";
import { json, route } from "@/lib/http/route";
import { inboundAnswer, readInboundRaw } from "@/lib/mail/inbound/http";
import { ingestEmail } from "@/lib/mail/inbound/ingest";

export const dynamic = "force-dynamic";

/**
 * POST /api/inbound/email — a raw RFC 822 message from a mail provider's inbound webhook, n8n or
 * a mail gateway; the same processing as the IMAP poller (lib/mail/inbound/ingest.ts ingestEmail).
 * Auth: an agent or admin API key (`Authorization: Bearer sb_…`) or an agent's session.
 * Body: the raw message as `message/rfc822`, `text/plain` or `application/octet-stream`, or JSON
 * `{raw: <base64>}`; at most INBOUND_MAX_BYTES (default 25 MB).
 * Header `Idempotency-Key` (optional, 1–255 printable ASCII): a repeat with the same bytes within
 * 24 h returns the first answer with `Idempotent-Replayed: true` (the Message-ID already makes a
 * repeat a no-op: `duplicate: true`).
 * → 201 {inboundId, status: processed, duplicate: false, action: created|commented|follow_up,
 *   ticketKey, reason: null}, `Location: /api/tickets/T-…`;
 * → 200 the same shape for a duplicate Message-ID, or status ignored (loop protection: reason),
 *   bounced (unknown sender, public submissions off) or rate_limited.
 * Errors: 400 empty body / invalid JSON or base64 / bad Idempotency-Key, 401, 403 (requester),
 * 409 idempotency_conflict, 413 over INBOUND_MAX_BYTES, 415 other content types, 422 a message
 * that cannot be processed (e.g. no From; stored as `failed`, details.inboundId, replayable).
 */
export const POST = route({ auth: "agent", scope: "webhook" }, async ({ req, principal }) => {
  const p = principal!;
  const raw = await readInboundRaw(req);
  const key = readIdempotencyKey(req.headers);
  const db = await getDb();
  if (key === null) {
    const a = inboundAnswer(await ingestEmail(db, raw, { source: "api" }));
    return json(a.body, a.status, location(a.body));
  }
  const outcome = await withIdempotency(
    db,
    {
      scope: `inbound-email:${p.kind}:${p.id}`,
      key,
      requestHash: crypto.createHash("sha256").update(raw).digest("hex"),
      apiKeyId: p.kind === "api_key" ? p.id : null,
    },
    async (tx) => {
      const a = inboundAnswer(await ingestEmail(tx, raw, { source: "api" }));
      return { status: a.status, body: a.body };
    },
  );
  const headers: Record<string, string> = outcome.kind === "conflict" ? {} : location(outcome.body);
  if (outcome.kind === "replayed") headers[REPLAYED_HEADER] = "true";
  return json(outcome.body, outcome.status, headers);
});

function location(body: unknown): Record<string, string> {
  const key = (body as { ticketKey?: unknown }).ticketKey;
  return typeof key === "string" ? { Location: `/api/tickets/${key}` } : {};
}
