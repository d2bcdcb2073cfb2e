import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, externalPushes, externalTargets, teams, ticketExternalLinks } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { encryptJson, encryptSecret } from "@/lib/crypto/secrets";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { displayUrl, toTargetDTO, type TargetDTO } from "./dto";
import { configIssues, parseConfig, type CreateTargetInput, type UpdateTargetInput } from "./schemas";
import type { TargetKind } from "./types";
import { isUuid } from "@/lib/ids";

/*
 * Team mappings (push targets, table external_targets): admins create, change, list and delete
 * them. Every change writes an audit event (entity `external_target`, actions
 * external_target.created / .updated / .deleted) in the same transaction. Header values and the
 * secret are sealed with AES-256-GCM (lib/crypto/secrets.ts) before they reach the database; the
 * audit trail and every DTO carry only header names and whether a secret is set.
 * Inputs are parsed by the callers with CreateTargetSchema / UpdateTargetSchema.
 */

type Row = typeof externalTargets.$inferSelect;
type Tx = Parameters<Parameters<DbOrTx["transaction"]>[0]>[0];

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can manage team mappings");
}

/** What the audit trail keeps of a target: the public shape (never header values or the secret). */
function auditState(r: Row): Record<string, unknown> {
  const { id: _id, createdAt: _c, updatedAt: _u, urlMasked: _m, ...rest } = toTargetDTO(r);
  return rest;
}

async function assertTeam(db: DbOrTx, slug: string): Promise<void> {
  const [t] = await db.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, slug)).limit(1);
  if (!t) throw new ApiError("unprocessable", `Unknown team '${slug}'`, { field: "team" });
}

/** 409 when the team already has a target of that name (other than `exceptId`). */
async function assertNameFree(db: DbOrTx, team: string, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: externalTargets.id })
    .from(externalTargets)
    .where(and(eq(externalTargets.teamSlug, team), eq(externalTargets.name, name), exceptId ? ne(externalTargets.id, exceptId) : undefined))
    .limit(1);
  if (clash) throw new ApiError("conflict", `The team already has a mapping called "${name}"`, { field: "name" });
}

/** The kind's config with defaults, or a 400 whose issues point at `config.<field>`. */
function checkedConfig(kind: TargetKind, config: unknown): Record<string, unknown> {
  const issues = configIssues(kind, config);
  if (issues.length) {
    throw new ApiError("validation_error", `The settings do not fit a ${kind} target`, {
      issues: issues.map((i) => ({ path: i.path.join("."), code: "custom", message: i.message })),
    });
  }
  return parseConfig(kind, config);
}

function sealedHeaders(headers: Record<string, string> | null | undefined): { headerNames: string[]; headersCiphertext: string | null } {
  if (!headers || Object.keys(headers).length === 0) return { headerNames: [], headersCiphertext: null };
  return { headerNames: Object.keys(headers), headersCiphertext: encryptJson(headers) };
}

/** A URL as {@link displayUrl} shows a Slack hook (`https://hooks.slack.com/…`): sent back unchanged by a form or client. */
function isMaskedUrl(url: string): boolean {
  return url.endsWith("/…") || url.endsWith("/%E2%80%A6");
}

/**
 * The stored `url` and `secret_ciphertext` of a target. A Slack incoming-webhook URL is itself
 * the credential, so for Slack the full URL is sealed in `secret_ciphertext` (Slack has no other
 * secret) and `url` keeps only the masked form; lib/routing/targets/resolve.ts opens it for the
 * push engine. Other kinds keep their URL and the sealed secret as given.
 */
function sealedUrlAndSecret(kind: TargetKind, url: string, secretCiphertext: string | null): { url: string; secretCiphertext: string | null } {
  if (kind !== "slack") return { url, secretCiphertext };
  return { url: displayUrl("slack", url).url, secretCiphertext: encryptSecret(url) };
}

function needsSecret(kind: TargetKind, hasSecret: boolean): void {
  if (kind === "webhook" && !hasSecret) {
    throw new ApiError("validation_error", "A webhook target needs a signing secret", {
      issues: [{ path: "secret", code: "custom", message: "A webhook target needs a signing secret (requests carry X-Switchboard-Signature)" }],
    });
  }
}

/**
 * Team mappings, by team then name (admins). `team` narrows to one team.
 * @throws ApiError 403.
 */
export async function listTargets(db: DbOrTx, actor: Principal, opts: { team?: string } = {}): Promise<TargetDTO[]> {
  assertAdmin(actor);
  const rows = await db
    .select()
    .from(externalTargets)
    .where(opts.team ? eq(externalTargets.teamSlug, opts.team) : undefined)
    .orderBy(asc(externalTargets.teamSlug), asc(externalTargets.name));
  return rows.map(toTargetDTO);
}

/** One team mapping (admins). @throws ApiError 403, 404. */
export async function getTarget(db: DbOrTx, id: string, actor: Principal): Promise<TargetDTO> {
  assertAdmin(actor);
  if (!isUuid(id)) throw new ApiError("not_found", "Team mapping not found");
  const [r] = await db.select().from(externalTargets).where(eq(externalTargets.id, id)).limit(1);
  if (!r) throw new ApiError("not_found", "Team mapping not found");
  return toTargetDTO(r);
}

/**
 * Create a team mapping (admins); header values and the secret are stored encrypted.
 * `createdBy` is the acting user (null for API keys).
 * @throws ApiError 400 (config does not fit the kind; webhook without secret), 403,
 *   409 (the team has a mapping of that name; `details.field` = "name"), 422 (unknown team).
 */
export async function createTarget(db: DbOrTx, input: CreateTargetInput, actor: Principal): Promise<TargetDTO> {
  assertAdmin(actor);
  const config = checkedConfig(input.kind, input.config);
  needsSecret(input.kind, !!input.secret);
  const row = await db.transaction(async (tx) => {
    await assertTeam(tx, input.team);
    await assertNameFree(tx, input.team, input.name);
    const [r] = await tx
      .insert(externalTargets)
      .values({
        name: input.name,
        teamSlug: input.team,
        kind: input.kind,
        method: input.method,
        ...sealedHeaders(input.headers),
        ...sealedUrlAndSecret(input.kind, input.url, input.secret ? encryptSecret(input.secret) : null),
        config,
        priorityThreshold: input.priorityThreshold,
        active: input.active,
        retryLimit: input.retryLimit,
        retryDelayS: input.retryDelayS,
        createdBy: actor.userId,
      })
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "external_target",
      entityId: r.id,
      ...actorOf(actor),
      action: "external_target.created",
      before: null,
      after: auditState(r),
    });
    return r;
  });
  return toTargetDTO(row);
}

async function lockTarget(tx: Tx, id: string): Promise<Row> {
  if (!isUuid(id)) throw new ApiError("not_found", "Team mapping not found");
  const [r] = await tx.select().from(externalTargets).where(eq(externalTargets.id, id)).for("update").limit(1);
  if (!r) throw new ApiError("not_found", "Team mapping not found");
  return r;
}

/**
 * Change a team mapping (admins). Fields left out keep their value; `headers` or `secret`
 * left out keep the stored ones, `null` clears them. Changing `kind` without `config` checks
 * the stored config against the new kind.
 * @throws ApiError 400 (config does not fit the kind; webhook left without secret), 403, 404,
 *   409 (name taken in the team), 422 (unknown team).
 */
export async function updateTarget(db: DbOrTx, id: string, input: UpdateTargetInput, actor: Principal): Promise<TargetDTO> {
  assertAdmin(actor);
  const row = await db.transaction(async (tx) => {
    const before = await lockTarget(tx, id);
    const kind = input.kind ?? before.kind;
    const config = input.config !== undefined || input.kind !== undefined ? checkedConfig(kind, input.config ?? before.config) : undefined;
    // A Slack hook URL is the credential and lives sealed in the secret column (see sealedUrlAndSecret).
    const newUrl = input.url !== undefined && !isMaskedUrl(input.url) ? input.url : undefined;
    if (kind !== before.kind && (kind === "slack" || before.kind === "slack") && newUrl === undefined) {
      throw new ApiError("validation_error", "Changing to or from Slack needs the URL again", {
        issues: [{ path: "url", code: "custom", message: "Give the full URL when the kind changes to or from Slack" }],
      });
    }
    // Slack has no secret of its own (its column holds the sealed hook URL): a `secret` sent for
    // Slack is ignored, and a target leaving Slack does not inherit the hook URL as its secret.
    const keptSecret =
      kind === "slack"
        ? before.secretCiphertext
        : input.secret === undefined
          ? before.kind === "slack"
            ? null
            : before.secretCiphertext
          : input.secret === null
            ? null
            : encryptSecret(input.secret);
    const sealed = newUrl !== undefined ? sealedUrlAndSecret(kind, newUrl, keptSecret) : null;
    const secretCiphertext = sealed ? sealed.secretCiphertext : keptSecret;
    needsSecret(kind, secretCiphertext !== null);
    const team = input.team ?? before.teamSlug;
    if (input.team !== undefined && input.team !== before.teamSlug) await assertTeam(tx, input.team);
    if (input.name !== undefined || input.team !== undefined) await assertNameFree(tx, team, input.name ?? before.name, id);
    const [after] = await tx
      .update(externalTargets)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.team !== undefined ? { teamSlug: input.team } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(sealed ? { url: sealed.url } : {}),
        ...(input.method !== undefined ? { method: input.method } : {}),
        ...(input.headers !== undefined ? sealedHeaders(input.headers) : {}),
        ...(input.secret !== undefined || sealed ? { secretCiphertext } : {}),
        ...(config !== undefined ? { config } : {}),
        ...(input.priorityThreshold !== undefined ? { priorityThreshold: input.priorityThreshold } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.retryLimit !== undefined ? { retryLimit: input.retryLimit } : {}),
        ...(input.retryDelayS !== undefined ? { retryDelayS: input.retryDelayS } : {}),
        updatedAt: new Date(),
      })
      .where(eq(externalTargets.id, id))
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "external_target",
      entityId: id,
      ...actorOf(actor),
      action: "external_target.updated",
      before: auditState(before),
      // Whether the secret or header values were replaced (not what they are).
      after: { ...auditState(after), secretChanged: input.secret !== undefined, headersChanged: input.headers !== undefined },
    });
    return after;
  });
  return toTargetDTO(row);
}

/**
 * Delete a team mapping (admins). Refused while tickets link to records it made or pushes to
 * it are pending (deleting would drop those links and pushes): deactivate it instead.
 * Its dead-lettered pushes go with it.
 * @throws ApiError 403, 404, 409 (links or pending pushes; `details` counts them).
 */
export async function deleteTarget(db: DbOrTx, id: string, actor: Principal): Promise<void> {
  assertAdmin(actor);
  await db.transaction(async (tx) => {
    const before = await lockTarget(tx, id);
    const [use] = await tx
      .select({
        links: sql<number>`(SELECT count(*) FROM ${ticketExternalLinks} WHERE ${ticketExternalLinks.targetId} = ${id})::int`,
        pending: sql<number>`(SELECT count(*) FROM ${externalPushes} WHERE ${externalPushes.targetId} = ${id} AND ${externalPushes.status} = 'pending')::int`,
      })
      .from(sql`(SELECT 1) AS one`);
    if (use.links > 0 || use.pending > 0) {
      throw new ApiError(
        "conflict",
        `${before.name} has ${use.links} linked ticket record(s) and ${use.pending} pending push(es); deactivate it instead of deleting it`,
        { links: use.links, pendingPushes: use.pending },
      );
    }
    await tx.delete(externalTargets).where(eq(externalTargets.id, id));
    await tx.insert(auditEvents).values({
      entityType: "external_target",
      entityId: id,
      ...actorOf(actor),
      action: "external_target.deleted",
      before: auditState(before),
      after: null,
    });
  });
}
