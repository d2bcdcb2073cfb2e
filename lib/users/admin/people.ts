import { and, asc, count, desc, eq, ilike, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, teams, users, type Role } from "@/db/schema";
import { clearApiKeyCache } from "@/lib/auth/api-keys";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { forgetSessionUser } from "@/lib/auth/session-state";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { mailBaseUrl } from "@/lib/mail/config";
import { queueMail } from "@/lib/mail/queue";
import { renderMail } from "@/lib/mail/render";
import { auditUser } from "./audit";
import type { InvitePersonInput, LinkSent, ListPeopleQuery, PeopleList, PersonDTO, PersonStatus, UpdatePersonInput } from "./schemas";
import { issueUserToken, revokeUserTokens, tokenPath } from "./tokens";
import { isUuid } from "@/lib/ids";

/*
 * The people admin: list, invite, change role / team / active, and mail a password-reset link.
 * Admins only (every function checks the principal). Each change commits with its audit event
 * (entity `user`) and, for invites and resets, its mail (lib/mail/queue.ts: an outbox row, sent
 * after commit). Guard: the last active admin can be neither demoted nor deactivated (409,
 * `details.reason` = "last_admin"). A role change or a deactivation bumps the user's session
 * version (every session ends: lib/auth/session-state.ts) and revokes the API keys that act as
 * the user (api_keys.user_id), so neither a cookie nor a key keeps the old rights.
 */

/** `mail_outbox.handler` of invite mails. */
export const INVITE_MAIL_HANDLER = "users.invite";
/** `mail_outbox.handler` of password-reset mails (admin resets and forgot password). */
export const RESET_MAIL_HANDLER = "users.password_reset";

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can manage people");
}

/*
 * Written out with qualified names: in a single-table select drizzle renders column references
 * unqualified, and inside these subqueries "id" would bind to user_tokens.
 */
/** Newest unused invite token's expiry of the row's user (null: none pending). */
const pendingInvite = sql<Date | string | null>`(SELECT max(ut.expires_at) FROM user_tokens ut WHERE ut.user_id = "users"."id" AND ut.purpose = 'invite' AND ut.used_at IS NULL)`;

/** active → `active`; inactive, no password and an unused invite → `invited`; else `deactivated`. */
const statusSql = sql<PersonStatus>`CASE WHEN "users"."active" THEN 'active' WHEN "users"."password_hash" IS NULL AND EXISTS (SELECT 1 FROM user_tokens ut WHERE ut.user_id = "users"."id" AND ut.purpose = 'invite' AND ut.used_at IS NULL) THEN 'invited' ELSE 'deactivated' END`;

const personColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  teamSlug: users.teamSlug,
  status: statusSql,
  hasPassword: sql<boolean>`(${users.passwordHash} IS NOT NULL)`,
  inviteExpiresAt: pendingInvite,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
};

type PersonRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamSlug: string | null;
  status: PersonStatus;
  hasPassword: boolean;
  inviteExpiresAt: Date | string | null;
  lastSignInAt: Date | null;
  createdAt: Date;
};

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toPerson(r: PersonRow): PersonDTO {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    teamSlug: r.teamSlug,
    status: r.status,
    hasPassword: r.hasPassword === true || (r.hasPassword as unknown) === "t",
    inviteExpiresAt: r.status === "invited" ? iso(r.inviteExpiresAt) : null,
    lastSignInAt: iso(r.lastSignInAt),
    createdAt: iso(r.createdAt) as string,
  };
}

/**
 * People by newest first, with search (`q`: part of name or e-mail, case-insensitive) and
 * role/status filters; `total` counts every match.
 * @throws ApiError 403 for non-admins.
 */
export async function listPeople(db: DbOrTx, query: ListPeopleQuery, actor: Principal): Promise<PeopleList> {
  assertAdmin(actor);
  const conds: (SQL | undefined)[] = [];
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(users.name, like), ilike(users.email, like)));
  }
  if (query.role) conds.push(eq(users.role, query.role));
  if (query.status) conds.push(sql`${statusSql} = ${query.status}`);
  const where = and(...conds);
  const [items, [{ n }]] = await Promise.all([
    db.select(personColumns).from(users).where(where).orderBy(desc(users.createdAt), asc(users.email)).limit(query.limit).offset(query.offset),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: (items as PersonRow[]).map(toPerson), total: Number(n) };
}

async function personOrNull(db: DbOrTx, id: string): Promise<PersonDTO | null> {
  if (!isUuid(id)) return null;
  const [r] = await db.select(personColumns).from(users).where(eq(users.id, id)).limit(1);
  return r ? toPerson(r as PersonRow) : null;
}

/**
 * One person (admins).
 * @throws ApiError 403, 404.
 */
export async function getPerson(db: DbOrTx, id: string, actor: Principal): Promise<PersonDTO> {
  assertAdmin(actor);
  const p = await personOrNull(db, id);
  if (!p) throw new ApiError("not_found", "Person not found");
  return p;
}

/** Teams for the pickers: slug and name, by name. */
export async function listTeamOptions(db: DbOrTx): Promise<{ slug: string; name: string }[]> {
  return db.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name));
}

async function assertTeam(db: DbOrTx, slug: string | null | undefined): Promise<void> {
  if (!slug) return;
  const [t] = await db.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, slug)).limit(1);
  if (!t) throw new ApiError("validation_error", "There is no team with that slug", { field: "teamSlug" });
}

type UserRow = typeof users.$inferSelect;

/** The fields of a change the audit trail keeps. */
type Change = { role?: Role; teamSlug?: string | null; active?: boolean; name?: string };

/**
 * Apply a change to a locked user row in `tx`: the last-admin guard, the update (bumping the
 * session version when role or active change), API keys revoked on a role change or a
 * deactivation, unused links deleted on a deactivation.
 * @returns what changed (before/after, only changed fields) and how many keys were revoked.
 */
async function applyChange(tx: DbOrTx, target: UserRow, change: Change): Promise<{ before: Record<string, unknown>; after: Record<string, unknown>; revokedKeys: number }> {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of ["role", "teamSlug", "active", "name"] as const) {
    if (change[k] !== undefined && change[k] !== target[k]) {
      before[k] = target[k];
      after[k] = change[k];
    }
  }
  if (Object.keys(after).length === 0) {
    // Deactivating someone who is inactive already (an invited person): their links stop working.
    if (change.active === false && (await revokeUserTokens(tx, target.id)) > 0) return { before: { invitePending: true }, after: { invitePending: false }, revokedKeys: 0 };
    return { before, after, revokedKeys: 0 };
  }
  const losesAdmin = target.role === "admin" && target.active && ((after.role !== undefined && after.role !== "admin") || after.active === false);
  if (losesAdmin) {
    const [{ n }] = await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.active, true), ne(users.id, target.id)));
    if (Number(n) === 0) {
      throw new ApiError("conflict", "This is the last active admin: make someone else an admin first", { reason: "last_admin" });
    }
  }
  const endsSessions = after.role !== undefined || after.active !== undefined;
  await tx
    .update(users)
    .set({ ...(after as Partial<UserRow>), ...(endsSessions ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}) })
    .where(eq(users.id, target.id));
  let revokedKeys = 0;
  if (after.role !== undefined || after.active === false) {
    const revoked = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.userId, target.id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    revokedKeys = revoked.length;
  }
  if (after.active === false) await revokeUserTokens(tx, target.id);
  return { before, after, revokedKeys };
}

/**
 * Lock every active admin row (in id order, so concurrent demotions cannot deadlock and see
 * each other's result), then the target row. Returns the target, or null when there is none.
 */
async function lockForChange(tx: DbOrTx, id: string): Promise<UserRow | null> {
  await tx.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), eq(users.active, true))).orderBy(asc(users.id)).for("update");
  const [u] = await tx.select().from(users).where(eq(users.id, id)).limit(1).for("update");
  return u ?? null;
}

/** After a commit that ended sessions or revoked keys: forget this process's cached state. */
function forgetCaches(userId: string): void {
  forgetSessionUser(userId);
  clearApiKeyCache();
}

/** A person just invited and where the link went. */
export interface InviteResult {
  person: PersonDTO;
  invite: LinkSent;
}

/**
 * Invite a person: create the user (inactive, no password) with the role and team, issue an
 * invite token (INVITE_TTL_HOURS) and queue the `account_invite` mail with the set-password
 * link, in one transaction with the audit event `user.invited`. Opening the link and choosing a
 * password activates the account ({@link acceptInvite} in ./passwords.ts).
 *
 * Inviting an e-mail that already has a user without a password (an earlier invite, an
 * employee import, an SSO-only user) sends a new link (the old one stops working) and applies
 * the given name, role and team; an account that has a password gives 409 (use a password
 * reset instead).
 * @throws ApiError 403, 400 (unknown team, `details.field` "teamSlug"), 409 (`details.field`
 *   "email": has a password; `details.reason` "last_admin").
 */
export async function invitePerson(db: DbOrTx, input: InvitePersonInput, actor: Principal): Promise<InviteResult> {
  assertAdmin(actor);
  await assertTeam(db, input.teamSlug);
  const teamSlug = input.teamSlug ?? null;
  const result = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    let userId: string;
    let audit: { before: Record<string, unknown> | null; after: Record<string, unknown> };
    if (existing) {
      const u = await lockForChange(tx, existing.id);
      if (!u) throw new ApiError("conflict", "This person changed meanwhile; try again");
      if (u.passwordHash) {
        throw new ApiError("conflict", "This person has an account already; send a password reset instead", { field: "email" });
      }
      const c = await applyChange(tx, u, { name: input.name, role: input.role, teamSlug });
      userId = u.id;
      audit = { before: { ...c.before, reinvite: true }, after: { ...c.after, email: u.email, revokedApiKeys: c.revokedKeys } };
    } else {
      const [u] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, role: input.role, teamSlug, active: false, passwordHash: null })
        .returning({ id: users.id });
      userId = u.id;
      audit = { before: null, after: { email: input.email, name: input.name, role: input.role, teamSlug, active: false } };
    }
    const { token, expiresAt } = await issueUserToken(tx, { userId, purpose: "invite", createdById: actor.userId });
    const ttlHours = env().INVITE_TTL_HOURS;
    const data = { name: input.name, invitedBy: actor.label, role: input.role, setPasswordUrl: `${mailBaseUrl()}${tokenPath("invite", token)}`, ttlHours };
    await queueMail(tx, { eventId: null, handler: INVITE_MAIL_HANDLER, kind: "account_invite", ticketId: null, to: input.email, render: (ctx) => renderMail("account_invite", data, ctx) });
    await auditUser(tx, { userId, action: "user.invited", actor, before: audit.before, after: { ...audit.after, inviteExpiresAt: expiresAt.toISOString() } });
    return { userId, expiresAt };
  });
  forgetCaches(result.userId);
  const person = await getPerson(db, result.userId, actor);
  return { person, invite: { sent: true, to: input.email, expiresAt: result.expiresAt.toISOString() } };
}

/**
 * Change a person's role, team and/or active flag (admins), with the audit event
 * `user.updated` (changed fields only, and how many API keys were revoked). A role change or a
 * deactivation ends the person's sessions and revokes their API keys; a deactivation also
 * voids their unused invite/reset links. Reactivating does not restore revoked keys. Nothing
 * changed: nothing written.
 * @throws ApiError 403, 404, 400 (unknown team), 409 (`details.reason` "last_admin").
 */
export async function updatePerson(db: DbOrTx, id: string, input: UpdatePersonInput, actor: Principal): Promise<PersonDTO> {
  assertAdmin(actor);
  if (!isUuid(id)) throw new ApiError("not_found", "Person not found");
  await assertTeam(db, input.teamSlug);
  await db.transaction(async (tx) => {
    const u = await lockForChange(tx, id);
    if (!u) throw new ApiError("not_found", "Person not found");
    const c = await applyChange(tx, u, { role: input.role, teamSlug: input.teamSlug, active: input.active });
    if (Object.keys(c.after).length === 0) return;
    await auditUser(tx, { userId: u.id, action: "user.updated", actor, before: c.before, after: { ...c.after, ...(c.revokedKeys ? { revokedApiKeys: c.revokedKeys } : {}) } });
  });
  forgetCaches(id);
  return getPerson(db, id, actor);
}

/**
 * Mail a password-reset link to an active person (admins): the admin never sees or sets a
 * password. The link works once for PASSWORD_RESET_TTL_MINUTES; the current password keeps
 * working until a new one is chosen. Audit event `user.password_reset_sent`.
 * @throws ApiError 403, 404, 409 (the person is deactivated, or invited: re-send the invite).
 */
export async function sendPasswordReset(db: DbOrTx, id: string, actor: Principal): Promise<LinkSent> {
  assertAdmin(actor);
  const p = await personOrNull(db, id);
  if (!p) throw new ApiError("not_found", "Person not found");
  if (p.status === "invited") throw new ApiError("conflict", "This person has not accepted their invite yet; send the invite again", { reason: "invited" });
  if (p.status !== "active") throw new ApiError("conflict", "This person is deactivated; reactivate them first", { reason: "deactivated" });
  const expiresAt = await db.transaction(async (tx) => {
    const sent = await queueResetMail(tx, { id: p.id, email: p.email, name: p.name }, actor.userId);
    await auditUser(tx, { userId: p.id, action: "user.password_reset_sent", actor, after: { expiresAt: sent.toISOString() } });
    return sent;
  });
  return { sent: true, to: p.email, expiresAt: expiresAt.toISOString() };
}

/**
 * Issue a password-reset token for the user and queue the `password_reset` mail with its link
 * in the caller's transaction. @returns when the link expires.
 */
export async function queueResetMail(tx: DbOrTx, user: { id: string; email: string; name: string }, createdById: string | null): Promise<Date> {
  const { token, expiresAt } = await issueUserToken(tx, { userId: user.id, purpose: "password_reset", createdById });
  const data = { name: user.name, resetUrl: `${mailBaseUrl()}${tokenPath("password_reset", token)}`, ttlMinutes: env().PASSWORD_RESET_TTL_MINUTES };
  await queueMail(tx, { eventId: null, handler: RESET_MAIL_HANDLER, kind: "password_reset", ticketId: null, to: user.email, render: (ctx) => renderMail("password_reset", data, ctx) });
  return expiresAt;
}
