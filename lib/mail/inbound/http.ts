import "server-only";
import { env } from "@/lib/env";
import { readBodyBytes } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import type { IngestResult } from "./ingest";
import { InboundEmailJsonSchema } from "./schemas";

/*
 * HTTP side of POST /api/inbound/email: reading the raw message from the request and turning an
 * IngestResult into the status and JSON the route answers.
 */

/** Content types the raw message may come as (RFC 822 bytes in the body). */
export const RAW_CONTENT_TYPES = ["message/rfc822", "text/plain", "application/octet-stream"] as const;

/**
 * The raw message of a request: the body itself for message/rfc822, text/plain and
 * application/octet-stream; for application/json, `{raw: <base64>}` decoded. At most
 * INBOUND_MAX_BYTES (the JSON body may be 4/3 of that, plus 4 KB).
 * @throws ApiError 413 over the limit; 415 another content type; 400 empty body, invalid JSON or base64.
 */
export async function readInboundRaw(req: Request): Promise<Buffer> {
  const max = env().INBOUND_MAX_BYTES;
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const tooLarge = () => new ApiError("payload_too_large", `The message is larger than the ${max} bytes accepted (INBOUND_MAX_BYTES)`, { maxBytes: max });
  if (type === "application/json") {
    const bytes = await readBodyBytes(req, Math.ceil((max * 4) / 3) + 4096);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch (err) {
      throw new ApiError("invalid_json", "The request body is not valid JSON", { reason: err instanceof Error ? err.message : String(err) });
    }
    const r = InboundEmailJsonSchema.safeParse(parsed);
    if (!r.success) {
      throw new ApiError("validation_error", "The request body is invalid", {
        issues: r.error.issues.map((i) => ({ path: i.path.join("."), code: i.code as string, message: i.message })),
      });
    }
    const raw = Buffer.from(r.data.raw, "base64");
    if (raw.length > max) throw tooLarge();
    if (raw.length === 0) throw new ApiError("bad_request", "The message is empty");
    return raw;
  }
  if (!(RAW_CONTENT_TYPES as readonly string[]).includes(type)) {
    throw new ApiError("unsupported_media_type", `Send the raw message as ${RAW_CONTENT_TYPES.join(", ")}, or JSON {raw: <base64>}`, {
      contentType: type || null,
      accepted: [...RAW_CONTENT_TYPES, "application/json"],
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(req, max);
  } catch (err) {
    if (err instanceof ApiError && err.code === "payload_too_large") throw tooLarge();
    throw err;
  }
  if (bytes.byteLength === 0 || !Buffer.from(bytes).toString("latin1").trim()) throw new ApiError("bad_request", "The request body is empty; send the raw RFC 822 message");
  return Buffer.from(bytes);
}

/** The JSON answer of POST /api/inbound/email for a message that was handled (not failed). */
export interface InboundAnswer {
  inboundId: number | null;
  status: IngestResult["status"];
  duplicate: boolean;
  action: IngestResult["action"] | null;
  ticketKey: string | null;
  reason: string | null;
}

/**
 * Status and body for an IngestResult: 201 for a new ticket or comment; 200 for a duplicate,
 * `ignored`, `bounced` or `rate_limited` (the message was accepted and stored, nothing to do);
 * for `failed`, the error's own 4xx (422 for unreadable mail) with the error shape, naming the
 * stored row so it can be replayed.
 */
export function inboundAnswer(r: IngestResult): { status: number; body: InboundAnswer | { error: { code: string; message: string; details: unknown } } } {
  if (r.status === "failed" && !r.duplicate) {
    const e = r.error ?? { code: "unprocessable", message: "The message could not be processed", status: 422 };
    return { status: e.status, body: { error: { code: e.code, message: e.message, details: { inboundId: r.inboundId, status: "failed", replayable: r.inboundId !== null } } } };
  }
  const body: InboundAnswer = {
    inboundId: r.inboundId,
    status: r.status,
    duplicate: r.duplicate,
    action: r.action ?? null,
    ticketKey: r.ticketKey ?? null,
    reason: r.reason ?? null,
  };
  return { status: r.status === "processed" && !r.duplicate ? 201 : 200, body };
}
