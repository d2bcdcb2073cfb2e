import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { apiKeys, auditEvents, users, type Role } from "@/db/schema";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { clearApiKeyCache, createApiKey } from "./api-keys";
import type { ApiKeyDTO, CreateApiKeyInput } from "./api-keys-schemas";
import { hasRole, type Principal } from "./principal";
import { scopesForRole, type ApiScope } from "./scopes";
import { isUuid } from "@/lib/ids";

/*
 * API key admin: create, list, get, revoke (table api_keys). Only the SHA-256 of a key is
 * stored (lib/auth/api-keys.ts); the secret is returned once by {@link createApiKeyAsAdmin} and
 * never again. Every change writes an audit event (entity `api_key`, actions api_key.created /
 * api_key.revoked) in the same transaction; the audit trail never carries the secret or hash.
 *
 * Scope rule: a key acts as its owner (a user) with the owner's role, and may carry only the
 * scopes that role may hold (scopesForRole): requester → tickets:read, tickets:write,
 * files:write; agent → those + webhook; admin → all (+ admin). Asking for more → 422.
 *
 * Revocation clears this instance's key cache at once; other instances keep a cached lookup
 * for at most the cache TTL of lib/auth/api-keys.ts (10 s) before they refuse the key too.
 */

type Row = typeof apiKeys.$inferSelect;

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can manage API keys");
}

const owners = alias(users, "owner");
const creators = alias(users, "creator");

function selectKeys(db: DbOrTx) {
  return db
    .select({
      key: apiKeys,
      ownerId: owners.id,
      ownerEmail: owners.email,
      ownerName: owners.name,
      creatorId: creators.id,
      creatorEmail: creators.email,
    })
    .from(apiKeys)
    .leftJoin(owners, eq(owners.id, apiKeys.userId))
    .leftJoin(creators, eq(creators.id, apiKeys.createdById));
}

type Joined = { key: Row; ownerId: string | null; ownerEmail: string | null; ownerName: string | null; creatorId: string | null; creatorEmail: string | null };

/** A key row as its DTO: prefix, owner, scopes, times, counts; never the secret or the hash. */
function toDTO(r: Joined, now = Date.now()): ApiKeyDTO {
  const k = r.key;
  const status = k.revokedAt ? "revoked" : k.expiresAt && k.expiresAt.getTime() <= now ? "expired" : "active";
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    owner: r.ownerId ? { id: r.ownerId, email: r.ownerEmail ?? "", name: r.ownerName ?? "" } : null,
    scopes: [...k.scopes],
    createdAt: k.createdAt.toISOString(),
    createdBy: r.creatorId ? { id: r.creatorId, email: r.creatorEmail ?? "" } : null,
    expiresAt: k.expiresAt ? k.expiresAt.toISOString() : null,
    lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
    requestCount: Number(k.requestCount),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
    status,
  };
}

/** Scopes a key of `role` may not carry among `scopes` (empty: all allowed). */
export function scopesBeyondRole(role: Role, scopes: readonly ApiScope[]): ApiScope[] {
  const allowed = scopesForRole(role);
  return scopes.filter((s) => !allowed.includes(s));
}

/**
 * Create a key (admins). The owner is `input.userId` (an active user) or, by default, the
 * calling admin; the key gets the owner's role. Expiry from `expiresAt` or `expiresInDays`.
 * @returns the key's DTO and its secret (`sb_…`), which is shown this once only.
 * @throws ApiError 403 (not an admin), 400 (expiry not in the future), 404 (unknown or inactive
 *   owner), 422 (scopes beyond the owner's role, details.scopes lists them).
 */
export async function createApiKeyAsAdmin(db: DbOrTx, input: CreateApiKeyInput, principal: Principal): Promise<{ key: ApiKeyDTO; secret: string }> {
  assertAdmin(principal);
  let expiresAt: Date | null = null;
  if (input.expiresAt) expiresAt = new Date(input.expiresAt);
  else if (input.expiresInDays) expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new ApiError("validation_error", "The expiry must be in the future", { fieldErrors: { expiresAt: ["The expiry must be in the future"] } });
  }
  const ownerId = input.userId ?? principal.userId;
  let role: Role = principal.role;
  if (ownerId) {
    const [u] = await db.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, ownerId)).limit(1);
    if (!u || !u.active) throw new ApiError("not_found", "Owner not found or not active", { fieldErrors: { userId: ["No active user with this id"] } });
    role = u.role;
  }
  const scopes = [...new Set(input.scopes)];
  const beyond = scopesBeyondRole(role, scopes);
  if (beyond.length) {
    throw new ApiError("unprocessable", `A key acting as a ${role} cannot carry ${beyond.join(", ")}`, { scopes: beyond, allowed: scopesForRole(role), fieldErrors: { scopes: [`Not allowed for a ${role}: ${beyond.join(", ")}`] } });
  }
  // A key acting for a user records that user as creator (the audit event names the key itself).
  const createdById = principal.kind === "user" ? principal.id : principal.userId;
  return db.transaction(async (tx) => {
    const created = await createApiKey(tx, { name: input.name, role, userId: ownerId ?? null, scopes, expiresAt, createdById });
    const [row] = await selectKeys(tx).where(eq(apiKeys.id, created.id));
    const dto = toDTO(row);
    await tx.insert(auditEvents).values({
      entityType: "api_key",
      entityId: created.id,
      ...actorOf(principal),
      action: "api_key.created",
      before: null,
      after: { name: dto.name, prefix: dto.prefix, role, ownerId: ownerId ?? null, scopes, expiresAt: dto.expiresAt },
    });
    return { key: dto, secret: created.key };
  });
}

/** All keys (admins), newest first, revoked ones included. Never the secret or the hash. @throws ApiError 403 */
export async function listApiKeys(db: DbOrTx, principal: Principal): Promise<ApiKeyDTO[]> {
  assertAdmin(principal);
  const rows = await selectKeys(db).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const now = Date.now();
  return rows.map((r) => toDTO(r, now));
}

/** One key (admins). @throws ApiError 403, 404 (unknown id) */
export async function getApiKey(db: DbOrTx, id: string, principal: Principal): Promise<ApiKeyDTO> {
  assertAdmin(principal);
  if (!isUuid(id)) throw new ApiError("not_found", "API key not found");
  const [row] = await selectKeys(db).where(eq(apiKeys.id, id));
  if (!row) throw new ApiError("not_found", "API key not found");
  return toDTO(row);
}

/**
 * Revoke a key (admins): sets revoked_at and audits `api_key.revoked` in one transaction, then
 * clears this instance's key cache so the key is refused (401) at once. Idempotent: revoking a
 * revoked key returns it unchanged and writes no second event.
 * @throws ApiError 403, 404 (unknown id)
 */
export async function revokeApiKey(db: DbOrTx, id: string, principal: Principal): Promise<ApiKeyDTO> {
  assertAdmin(principal);
  if (!isUuid(id)) throw new ApiError("not_found", "API key not found");
  const dto = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    const [row] = await selectKeys(tx).where(eq(apiKeys.id, id));
    if (!row) throw new ApiError("not_found", "API key not found");
    if (updated) {
      await tx.insert(auditEvents).values({
        entityType: "api_key",
        entityId: id,
        ...actorOf(principal),
        action: "api_key.revoked",
        before: { revokedAt: null },
        after: { name: row.key.name, prefix: row.key.prefix, revokedAt: row.key.revokedAt?.toISOString() ?? null },
      });
    }
    return toDTO(row);
  });
  clearApiKeyCache();
  return dto;
}

/** Active users a key can be made for (admins), by e-mail: `{id, email, name, role}`. @throws ApiError 403 */
export async function listKeyOwners(db: DbOrTx, principal: Principal): Promise<{ id: string; email: string; name: string; role: Role }[]> {
  assertAdmin(principal);
  return db.select({ id: users.id, email: users.email, name: users.name, role: users.role }).from(users).where(eq(users.active, true)).orderBy(users.email).limit(1000);
}
