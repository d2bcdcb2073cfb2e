import crypto from "node:crypto";
import type { ResolvedTarget } from "@/lib/routing/targets/types";
import { field, jsonHeaders, type OutboundRequest, type PushContext, type PushProtocol } from "./types";

/** Name of the signature header: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export const SIGNATURE_HEADER = "X-Switchboard-Signature";
/** Unix time in s the signature was made at. */
export const TIMESTAMP_HEADER = "X-Switchboard-Timestamp";
/** Stable id of the delivery (the same on every attempt of one push). */
export const DELIVERY_HEADER = "X-Switchboard-Delivery";

/** `v1=<hex>`: HMAC-SHA256 with `secret` over `${timestampS}.${body}`. */
export function signWebhook(secret: string, timestampS: number, body: string): string {
  return `v1=${crypto.createHmac("sha256", secret).update(`${timestampS}.${body}`).digest("hex")}`;
}

/**
 * For receivers and tests: true when `header` (one or more `v1=<hex>` separated by commas)
 * holds the HMAC-SHA256 of `${timestamp}.${body}` under `secret` (compared in constant time),
 * and `timestamp` (unix s) is within `toleranceS` (default 300) of `nowS` (default now), so a
 * captured request cannot be replayed later. `body` must be the raw bytes as received.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number,
  body: string,
  header: string | null | undefined,
  toleranceS = 300,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  const ts = Number(timestamp);
  if (!header || !Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  return header
    .split(",")
    .map((s) => Buffer.from(s.trim()))
    .some((got) => got.length === expected.length && crypto.timingSafeEqual(got, expected));
}

/** The generic webhook's JSON body. */
export function webhookPayload(ctx: PushContext) {
  const t = ctx.ticket;
  const c = ctx.change;
  const ticket = {
    key: t.key,
    title: t.title,
    description: t.description,
    requester_email: t.requesterEmail,
    priority: t.priority,
    status: t.status,
    category: t.category,
    team: t.team,
    source: t.source,
    created_at: t.createdAt,
    url: t.url,
  };
  const base = { delivery_id: ctx.deliveryId, sent_at: new Date(ctx.nowS * 1000).toISOString(), ticket };
  if (c.action === "create") return { event: "ticket.created", ...base };
  if (c.action === "update") return { event: "ticket.status_changed", ...base, change: { from: c.from, to: c.to } };
  return { event: "comment.added", ...base, comment: { id: c.commentId, author: c.author, body: c.body } };
}

/**
 * The request of a webhook delivery: `<method> <url>` with `body`, the target's headers,
 * `Idempotency-Key` and `X-Switchboard-Delivery` = `deliveryId`, and, when the target has a
 * secret, `X-Switchboard-Timestamp` (`nowS`) and `X-Switchboard-Signature` over the body.
 * Shared by ticket pushes and SLA notifications (lib/sla/notify.ts).
 */
export function webhookRequest(target: ResolvedTarget, deliveryId: string, nowS: number, body: string): OutboundRequest {
  const headers = jsonHeaders(target, {
    "idempotency-key": deliveryId,
    [DELIVERY_HEADER.toLowerCase()]: deliveryId,
    "user-agent": "Switchboard-Webhook/1",
  });
  if (target.secret) {
    headers[TIMESTAMP_HEADER.toLowerCase()] = String(nowS);
    headers[SIGNATURE_HEADER.toLowerCase()] = signWebhook(target.secret, nowS, body);
  }
  return { method: target.method, url: target.url, headers, body };
}

/**
 * Generic webhook: `<method> <url>` with the JSON above, signed (`X-Switchboard-Timestamp`,
 * `X-Switchboard-Signature`) when the target has a secret, with `Idempotency-Key` and
 * `X-Switchboard-Delivery` set to the push's stable delivery id so receivers drop repeats.
 * An answer `{id, url}` (optional) is stored as the external record.
 */
export const webhook: PushProtocol = {
  supports: () => true,
  build(ctx) {
    return webhookRequest(ctx.target, ctx.deliveryId, ctx.nowS, JSON.stringify(webhookPayload(ctx)));
  },
  created(_ctx, answer) {
    const id = field(answer, "id");
    const url = field(answer, "url");
    return {
      externalId: typeof id === "string" || typeof id === "number" ? String(id).slice(0, 200) : null,
      externalUrl: typeof url === "string" && /^https?:\/\//.test(url) ? url.slice(0, 2000) : null,
    };
  },
};
