import crypto from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { getDb, queryPrepared, type DbOrTx } from "@/db/client";
import { apiKeys, users, type Role } from "@/db/schema";
import type { Principal } from "./principal";
import { API_SCOPES, scopesForRole, type ApiScope } from "./scopes";
import { logger } from "@/lib/observability/logger";

/** Key format: `sb_` + 40 base62-ish characters (240 bits from crypto.randomBytes). */
const KEY_PREFIX = "sb_";

/** SHA-256 hex of a key. Keys are high-entropy random strings, so a fast hash is appropriate. */
export function hashApiKey(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex");
}

export interface CreatedApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  /** The key itself: shown once, never stored. */
  key: string;
}

/**
 * Create an API key; only its SHA-256 is stored.
 * @param input.userId required for requester keys (the key acts as that user).
 * @param input.scopes default: every scope the role may hold ({@link scopesForRole}).
 * @param input.expiresAt after it the key is refused (401); default never.
 * @param input.defaultEmail agent/admin keys: the requester e-mail for tickets the assistant files
 *   when the command names none.
 * @throws Error when a requester key has no user.
 */
export async function createApiKey(
  db: DbOrTx,
  input: { name: string; role: Role; userId?: string | null; defaultEmail?: string | null; scopes?: readonly ApiScope[]; expiresAt?: Date | null; createdById?: string | null },
): Promise<CreatedApiKey> {
  if (input.role === "requester" && !input.userId) throw new Error("A requester API key must belong to a user");
  const key = KEY_PREFIX + crypto.randomBytes(30).toString("base64url");
  const prefix = key.slice(0, 10);
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: input.name,
      role: input.role,
      prefix,
      keyHash: hashApiKey(key),
      userId: input.userId ?? null,
      defaultEmail: input.defaultEmail ?? null,
      scopes: [...(input.scopes ?? scopesForRole(input.role))],
      expiresAt: input.expiresAt ?? null,
      createdById: input.createdById ?? null,
    })
    .returning({ id: apiKeys.id });
  return { id: row.id, name: input.name, role: input.role, prefix, key };
}

interface CacheEntry {
  principal: Principal | null;
  expiresAt: number;
}

/** Keys are looked up at most every 10 s per key (revocation takes effect within 10 s). */
const CACHE_TTL_MS = 10_000;
const globalForKeys = globalThis as unknown as { __switchboardKeyCache?: Map<string, CacheEntry> };
const cache = (globalForKeys.__switchboardKeyCache ??= new Map());

/** Forget cached key lookups (after revoking a key, and in tests). */
export function clearApiKeyCache(): void {
  cache.clear();
}

/**
 * Resolve a bearer key to a principal, or null when unknown/revoked (or its user is inactive).
 * `last_used_at` is refreshed at most once per cache period.
 */
export async function principalFromApiKey(db: DbOrTx, key: string): Promise<Principal | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const hash = hashApiKey(key);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.expiresAt > now) {
    if (hit.principal) countUse(hit.principal.id);
    return hit.principal;
  }

  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      userId: apiKeys.userId,
      email: users.email,
      userActive: users.active,
      defaultEmail: apiKeys.defaultEmail,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);

  let principal: Principal | null = null;
  let validUntil = now + CACHE_TTL_MS;
  if (row && (row.userId === null || row.userActive) && (!row.expiresAt || row.expiresAt.getTime() > now)) {
    principal = {
      kind: "api_key",
      id: row.id,
      role: row.role,
      userId: row.userId,
      email: row.email ?? null,
      label: `api-key:${row.name}`,
      defaultEmail: row.defaultEmail ?? null,
      scopes: (row.scopes ?? []).filter((x): x is ApiScope => (API_SCOPES as readonly string[]).includes(x)),
    };
    // An expiring key is not cached past its expiry.
    if (row.expiresAt) validUntil = Math.min(validUntil, row.expiresAt.getTime());
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { principal, expiresAt: validUntil });
  if (principal) countUse(principal.id);
  await flushApiKeyUsage(db, FLUSH_EVERY_MS).catch((err: unknown) => logger.warn({ err }, "API key usage counts not saved yet"));
  return principal;
}

/*
 * Request counts and last use are counted in memory and added to the row (request_count =
 * request_count + n, so instances add up) at most every FLUSH_EVERY_MS, on the next lookup
 * after that or at the latest by the unref'd timer: a busy key costs one UPDATE per period,
 * not one per request. A crash loses at most one period's counts.
 */
const FLUSH_EVERY_MS = 5_000;
interface KeyUsage {
  pending: Map<string, number>;
  lastFlush: number;
  timer?: NodeJS.Timeout;
}
const globalForUsage = globalThis as unknown as { __switchboardKeyUsage?: KeyUsage };
const usage: KeyUsage = (globalForUsage.__switchboardKeyUsage ??= { pending: new Map(), lastFlush: 0 });

function countUse(keyId: string): void {
  usage.pending.set(keyId, (usage.pending.get(keyId) ?? 0) + 1);
}

/**
 * Add the pending request counts to `api_keys.request_count` and set `last_used_at`, when the
 * last flush is older than `minAgeMs` (0 = now; tests and shutdown).
 */
export async function flushApiKeyUsage(db: DbOrTx, minAgeMs = 0): Promise<void> {
  if (!usage.pending.size || Date.now() - usage.lastFlush < minAgeMs) {
    if (usage.pending.size && !usage.timer) {
      usage.timer = setTimeout(() => {
        usage.timer = undefined;
        // Not the caller's handle: it may be a transaction long finished by then.
        getDb()
          .then((d) => flushApiKeyUsage(d))
          .catch((err: unknown) => logger.warn({ err }, "API key usage counts not saved yet"));
      }, FLUSH_EVERY_MS);
      usage.timer.unref?.();
    }
    return;
  }
  const batch = [...usage.pending];
  usage.pending.clear();
  usage.lastFlush = Date.now();
  try {
    // One statement for every key of the batch (a run with 50 busy keys cost 50 sequential
    // UPDATEs per period and instance).
    await queryPrepared(
      db,
      `UPDATE api_keys k SET request_count = k.request_count + u.n, last_used_at = now()
       FROM unnest($1::uuid[], $2::bigint[]) AS u(id, n) WHERE k.id = u.id`,
      [batch.map(([id]) => id), batch.map(([, n]) => n)],
    );
  } catch (err) {
    // Put the counts back for the next flush rather than lose them.
    for (const [id, n] of batch) usage.pending.set(id, (usage.pending.get(id) ?? 0) + n);
    throw err;
  }
}
