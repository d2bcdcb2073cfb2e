import "server-only";
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import { ApiError } from "./errors";

/*
 * Idempotency keys for integration POSTs (`Idempotency-Key` header, as in Stripe's API and the
 * IETF httpapi draft): the first successful response is stored with a hash of the request and
 * returned again for a repeat within the key's lifetime, creating nothing; the same key with a
 * different request is a 409. Used by POST /api/webhook/ticket; reusable by any route that
 * creates something (e.g. inbound e-mail).
 */

/** How long a key is kept: 24 h, in ms. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Response header set on a replayed answer. */
export const REPLAYED_HEADER = "Idempotent-Replayed";
/** Expired rows removed per idempotent request (opportunistic clean-up; the table stays bounded). */
const CLEANUP_BATCH = 100;
/** Seed of the advisory-lock hash, so these locks do not share keys with other lock users. */
const LOCK_SEED = 7305200201;

const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

/**
 * The `Idempotency-Key` request header: null when absent.
 * @throws ApiError 400 `bad_request` when present but not 1–255 printable ASCII characters.
 */
export function readIdempotencyKey(headers: Headers): string | null {
  const v = headers.get("idempotency-key");
  if (v === null) return null;
  if (!KEY_PATTERN.test(v)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1–255 printable ASCII characters", {
      header: "Idempotency-Key",
    });
  }
  return v;
}

/**
 * JSON with object keys sorted at every level (arrays keep their order), so two requests that
 * differ only in key order hash the same. `undefined` members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

/** SHA-256 hex of the canonical JSON of a (parsed) request body. */
export function requestHash(body: unknown): string {
  return crypto.createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/** What a first request produced, to be stored and replayed. */
export interface StoredResponse {
  /** HTTP status (2xx: only successes are stored; a thrown error stores nothing). */
  status: number;
  /** The JSON body. */
  body: unknown;
  /** Ticket the request created, if any (kept with the key for support look-ups). */
  ticketId?: number | null;
}

/** The outcome of {@link withIdempotency}. */
export type IdempotentOutcome =
  | { kind: "created"; status: number; body: unknown }
  | { kind: "replayed"; status: number; body: unknown }
  | { kind: "conflict"; status: 409; body: { error: { code: "idempotency_conflict"; message: string; details: { key: string } } } };

export interface IdempotencyOptions {
  /** Whose keys these are, and for which operation, e.g. `webhook-ticket:api_key:<id>` (≤ 120 characters). */
  scope: string;
  /** The caller's Idempotency-Key. */
  key: string;
  /** {@link requestHash} of the parsed body. */
  requestHash: string;
  /** API key the request came with (the row goes when the key is deleted). */
  apiKeyId?: string | null;
  /** Lifetime in ms; default {@link IDEMPOTENCY_TTL_MS}. */
  ttlMs?: number;
}

/**
 * Run `create` at most once per (scope, key) within the key's lifetime, in ONE transaction:
 *
 * 1. take a transaction-scoped advisory lock on (scope, key), so a concurrent duplicate waits
 *    here until the first commits (or rolls back) and then sees its row;
 * 2. drop this key's expired row, and up to 100 other expired rows (SKIP LOCKED);
 * 3. a live row with the same request hash → `replayed` with the stored status and body; with a
 *    different hash → `conflict` (409 `idempotency_conflict`); nothing is created either way;
 * 4. otherwise run `create(tx)` (which must write through `tx`) and store its response with
 *    `expires_at = now() + ttl`, committing both together.
 *
 * An error thrown by `create` rolls everything back and stores nothing, so the caller may
 * retry the same key after fixing the cause.
 * @throws whatever `create` throws; database errors.
 */
export async function withIdempotency(
  db: Db,
  opts: IdempotencyOptions,
  create: (tx: Tx) => Promise<StoredResponse>,
): Promise<IdempotentOutcome> {
  const ttlMs = opts.ttlMs ?? IDEMPOTENCY_TTL_MS;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${opts.scope}\n${opts.key}`}::text, ${LOCK_SEED}::bigint))`);
    await tx.execute(sql`DELETE FROM ${idempotencyKeys} WHERE (scope, key) IN (
      SELECT scope, key FROM ${idempotencyKeys} WHERE expires_at <= now()
      ORDER BY expires_at LIMIT ${CLEANUP_BATCH} FOR UPDATE SKIP LOCKED)`);
    await tx
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, opts.scope), eq(idempotencyKeys.key, opts.key), sql`${idempotencyKeys.expiresAt} <= now()`));
    const [live] = await tx
      .select({ requestHash: idempotencyKeys.requestHash, statusCode: idempotencyKeys.statusCode, response: idempotencyKeys.response })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, opts.scope), eq(idempotencyKeys.key, opts.key)))
      .limit(1);
    if (live) {
      if (live.requestHash === opts.requestHash) return { kind: "replayed", status: live.statusCode, body: live.response };
      return {
        kind: "conflict",
        status: 409,
        body: {
          error: {
            code: "idempotency_conflict",
            message: "This Idempotency-Key was already used with a different request body; use a new key for a new request",
            details: { key: opts.key },
          },
        },
      };
    }
    const result = await create(tx);
    await tx.insert(idempotencyKeys).values({
      scope: opts.scope,
      key: opts.key,
      requestHash: opts.requestHash,
      statusCode: result.status,
      response: result.body,
      ticketId: result.ticketId ?? null,
      apiKeyId: opts.apiKeyId ?? null,
      expiresAt: sql`now() + ${ttlMs}::float8 * interval '1 millisecond'`,
    });
    return { kind: "created", status: result.status, body: result.body };
  });
}

