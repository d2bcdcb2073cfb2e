import crypto from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, users, type Role } from "@/db/schema";
import type { Principal } from "./principal";

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
 * @param input.defaultEmail agent/admin keys: the requester e-mail for tickets the assistant files
 *   when the command names none.
 * @throws Error when a requester key has no user.
 */
export async function createApiKey(
  db: DbOrTx,
  input: { name: string; role: Role; userId?: string | null; defaultEmail?: string | null },
): Promise<CreatedApiKey> {
  if (input.role === "requester" && !input.userId) throw new Error("A requester API key must belong to a user");
  const key = KEY_PREFIX + crypto.randomBytes(30).toString("base64url");
  const prefix = key.slice(0, 10);
  const [row] = await db
    .insert(apiKeys)
    .values({ name: input.name, role: input.role, prefix, keyHash: hashApiKey(key), userId: input.userId ?? null, defaultEmail: input.defaultEmail ?? null })
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
  if (hit && hit.expiresAt > now) return hit.principal;

  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      userId: apiKeys.userId,
      email: users.email,
      userActive: users.active,
      defaultEmail: apiKeys.defaultEmail,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);

  let principal: Principal | null = null;
  if (row && (row.userId === null || row.userActive)) {
    principal = {
      kind: "api_key",
      id: row.id,
      role: row.role,
      userId: row.userId,
      email: row.email ?? null,
      label: `api-key:${row.name}`,
      defaultEmail: row.defaultEmail ?? null,
    };
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, row.id));
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { principal, expiresAt: now + CACHE_TTL_MS });
  return principal;
}
