import crypto from "node:crypto";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import { ApiError } from "@/lib/http/errors";
import { BulkActionSchema } from "./ops";

/*
 * Confirmation tokens for bulk operations: `<payload>.<signature>`, where payload is base64url
 * JSON {v, p: principal kind+id, a: the action, ids: the exact ticket ids, exp: ms since epoch}
 * and signature is base64url HMAC-SHA256 over `switchboard-assistant-bulk-v1.<payload>` with the
 * auth secret (lib/auth/secret.ts, as lib/mail/preferences.ts signs unsubscribe links). No
 * database row: a token is valid until it expires, for the principal it was issued to, and only
 * for the ids it names. Rotating NEXTAUTH_SECRET invalidates all tokens.
 */

const TOKEN_CONTEXT = "switchboard-assistant-bulk-v1.";
/** How long a confirmation stays valid, in ms (10 minutes). */
export const CONFIRM_TTL_MS = 10 * 60_000;
/** Most tickets one bulk operation may touch. */
export const BULK_MAX_TICKETS = 200;
/** Longest token accepted (200 ids and a note of 2,000 characters fit well within it). */
export const MAX_CONFIRM_TOKEN_LENGTH = 4000;

const PayloadSchema = z.strictObject({
  v: z.literal(1),
  p: z.string().min(1).max(120),
  a: BulkActionSchema,
  ids: z.array(z.number().int().positive()).min(1).max(BULK_MAX_TICKETS),
  exp: z.number().int().positive(),
});

/** What a confirmation token authorises. */
export interface BulkConfirmation {
  action: z.infer<typeof BulkActionSchema>;
  /** Ticket ids (not keys), in the order shown. */
  ticketIds: number[];
  expiresAt: Date;
}

const principalTag = (p: Principal) => `${p.kind}:${p.id}`;
const sign = (payload: string) => crypto.createHmac("sha256", authSecret()).update(TOKEN_CONTEXT + payload).digest("base64url");

/** Sign a confirmation for `principal` to apply `action` to exactly `ticketIds` until now + 10 minutes. */
export function signBulkConfirmation(
  principal: Principal,
  action: BulkConfirmation["action"],
  ticketIds: number[],
  now: Date = new Date(),
): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + CONFIRM_TTL_MS);
  const body = { v: 1, p: principalTag(principal), a: action, ids: ticketIds, exp: expiresAt.getTime() };
  const payload = Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
  return { token: `${payload}.${sign(payload)}`, expiresAt };
}

const invalidConfirmation = (why: string) =>
  new ApiError("bad_request", `This confirmation is not valid: ${why}. Run the command again.`, { field: "confirm" });

/**
 * Check that `token` is one we issued ({@link signBulkConfirmation}): its shape, its signature and
 * its payload. Says nothing about who may use it or until when ({@link verifyBulkConfirmation}).
 * A token that fails here is not a confirmation at all, so POST /api/assistant rejects the
 * request before anything runs or is stored (lib/assistant/service.ts).
 * @throws ApiError 400 bad_request ("malformed token" or "bad signature"), details {field: "confirm"}.
 */
export function checkIssuedConfirmation(token: string): z.infer<typeof PayloadSchema> {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_CONFIRM_TOKEN_LENGTH) throw invalidConfirmation("malformed token");
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) throw invalidConfirmation("malformed token");
  const [payload, sig] = parts;
  const expected = Buffer.from(sign(payload), "utf8");
  const given = Buffer.from(sig, "utf8");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw invalidConfirmation("bad signature");
  try {
    return PayloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    throw invalidConfirmation("malformed token");
  }
}

/**
 * Check a token from {@link signBulkConfirmation}: signature, expiry (at `now`) and that it was
 * issued to this same principal (kind and id).
 * @throws ApiError 400 bad_request for a malformed, tampered, expired or other caller's token.
 */
export function verifyBulkConfirmation(token: string, principal: Principal, now: Date = new Date()): BulkConfirmation {
  const parsed = checkIssuedConfirmation(token);
  if (parsed.p !== principalTag(principal)) throw invalidConfirmation("it was issued to someone else");
  if (parsed.exp <= now.getTime()) throw invalidConfirmation("it has expired");
  return { action: parsed.a, ticketIds: parsed.ids, expiresAt: new Date(parsed.exp) };
}
