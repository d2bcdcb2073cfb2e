import "server-only";
import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, categories, odataRuns, odataSources, teams } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { encryptSecret } from "@/lib/crypto/secrets";
import { ApiError } from "@/lib/http/errors";
import { enqueueTask } from "@/lib/jobs/tasks";
import { actorOf } from "@/lib/tickets/access";
import { toRunDTO, toSourceDTO, type ODataRunDTO, type ODataSourceDTO } from "./dto";
import { ODATA_PULL_TASK, type ODataPullTaskData } from "./pull";
import type { CreateODataSourceInput, ODataMappingInput, UpdateODataSourceInput } from "./schemas";
import { isUuid } from "@/lib/ids";

/*
 * OData sources (table odata_sources): admins create, change, list, delete and run them. Every
 * change writes an audit event (entity `odata_source`, actions odata_source.created / .updated /
 * .deleted / .run_requested) in the same transaction. The secret (basic password or bearer
 * token) is sealed with AES-256-GCM (lib/crypto/secrets.ts) before it reaches the database; the
 * audit trail and every DTO carry only `hasSecret`. Inputs are parsed by the callers with
 * CreateODataSourceSchema / UpdateODataSourceSchema.
 */

type Row = typeof odataSources.$inferSelect;
type Tx = Parameters<Parameters<DbOrTx["transaction"]>[0]>[0];

const NOT_FOUND = "OData source not found";

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can manage OData sources");
}

/** What the audit trail keeps of a source: the public shape (never the secret). */
function auditState(r: Row): Record<string, unknown> {
  const { id: _id, createdAt: _c, updatedAt: _u, nextRunAt: _n, lastRun: _l, ...rest } = toSourceDTO(r);
  return rest;
}

/** 422 when the category or team slug names nothing. */
async function assertRefs(db: DbOrTx, category: string | null | undefined, team: string | null | undefined): Promise<void> {
  if (category) {
    const [c] = await db.select({ slug: categories.slug }).from(categories).where(eq(categories.slug, category)).limit(1);
    if (!c) throw new ApiError("unprocessable", `Unknown category '${category}'`, { field: "category" });
  }
  if (team) {
    const [t] = await db.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, team)).limit(1);
    if (!t) throw new ApiError("unprocessable", `Unknown team '${team}'`, { field: "team" });
  }
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: odataSources.id })
    .from(odataSources)
    .where(and(eq(odataSources.name, name), exceptId ? ne(odataSources.id, exceptId) : undefined))
    .limit(1);
  if (clash) throw new ApiError("conflict", `An OData source called "${name}" exists already`, { field: "name" });
}

/** The mapping as stored: optional fields left out rather than undefined. */
function storedMapping(m: ODataMappingInput): Row["mapping"] {
  return JSON.parse(JSON.stringify(m)) as Row["mapping"];
}

function badAuth(path: string, message: string): ApiError {
  return new ApiError("validation_error", message, { issues: [{ path, code: "custom", message }] });
}

/** 400 when the auth kind lacks what it needs (username for basic; a stored or new secret). */
function checkAuth(kind: Row["authKind"], username: string | null, hasSecret: boolean): void {
  if (kind === "basic" && !username) throw badAuth("username", "Basic auth needs a username");
  if (kind !== "none" && !hasSecret) throw badAuth("secret", kind === "basic" ? "Basic auth needs a password" : "Bearer auth needs a token");
}

async function lastRuns(db: DbOrTx, ids: string[]): Promise<Map<string, typeof odataRuns.$inferSelect>> {
  if (ids.length === 0) return new Map();
  const found = await db
    .selectDistinctOn([odataRuns.sourceId])
    .from(odataRuns)
    .where(inArray(odataRuns.sourceId, ids))
    .orderBy(odataRuns.sourceId, desc(odataRuns.startedAt), desc(odataRuns.id));
  return new Map(found.map((r) => [r.sourceId, r]));
}

/** Every OData source by name, each with its newest run (admins). @throws ApiError 403. */
export async function listSources(db: DbOrTx, actor: Principal): Promise<ODataSourceDTO[]> {
  assertAdmin(actor);
  const found = await db.select().from(odataSources).orderBy(asc(odataSources.name));
  const runs = await lastRuns(
    db,
    found.map((r) => r.id),
  );
  return found.map((r) => toSourceDTO(r, runs.get(r.id) ?? null));
}

async function loadRow(db: DbOrTx, id: string, forUpdate = false): Promise<Row> {
  if (!isUuid(id)) throw new ApiError("not_found", NOT_FOUND);
  const q = db.select().from(odataSources).where(eq(odataSources.id, id)).limit(1);
  const [r] = forUpdate ? await q.for("update") : await q;
  if (!r) throw new ApiError("not_found", NOT_FOUND);
  return r;
}

/** One source with its newest run (admins). @throws ApiError 403, 404. */
export async function getSource(db: DbOrTx, id: string, actor: Principal): Promise<ODataSourceDTO> {
  assertAdmin(actor);
  const r = await loadRow(db, id);
  return toSourceDTO(r, (await lastRuns(db, [r.id])).get(r.id) ?? null);
}

/**
 * Create a source (admins); the secret is stored encrypted. Its first pull is due at once.
 * @throws ApiError 400 (auth without username/secret), 403, 409 (name taken), 422 (unknown category/team).
 */
export async function createSource(db: DbOrTx, input: CreateODataSourceInput, actor: Principal): Promise<ODataSourceDTO> {
  assertAdmin(actor);
  checkAuth(input.authKind, input.username ?? null, !!input.secret);
  const row = await db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    await assertRefs(tx, input.category, input.team);
    const [r] = await tx
      .insert(odataSources)
      .values({
        name: input.name,
        version: input.version,
        baseUrl: input.baseUrl,
        entitySet: input.entitySet,
        filter: input.filter || null,
        select: input.select || null,
        authKind: input.authKind,
        username: input.authKind === "basic" ? (input.username ?? null) : null,
        secretCiphertext: input.authKind !== "none" && input.secret ? encryptSecret(input.secret) : null,
        sapClient: input.sapClient ?? null,
        sapLanguage: input.sapLanguage ?? null,
        mapping: storedMapping(input.mapping),
        categorySlug: input.category ?? null,
        teamSlug: input.team ?? null,
        intervalMin: input.intervalMin,
        reportTo: input.reportTo,
        active: input.active,
        createdBy: actor.userId,
      })
      .returning();
    await tx.insert(auditEvents).values({ entityType: "odata_source", entityId: r.id, ...actorOf(actor), action: "odata_source.created", before: null, after: auditState(r) });
    return r;
  });
  return toSourceDTO(row);
}

/**
 * Change a source (admins). Fields left out keep their value; `secret` left out keeps the
 * stored one, `null` clears it; `resetDelta` forgets the delta cursor. Switching to auth
 * `none` drops the stored secret.
 * @throws ApiError 400 (auth left without username/secret), 403, 404, 409 (name taken), 422.
 */
export async function updateSource(db: DbOrTx, id: string, input: UpdateODataSourceInput, actor: Principal): Promise<ODataSourceDTO> {
  assertAdmin(actor);
  const row = await db.transaction(async (tx: Tx) => {
    const before = await loadRow(tx, id, true);
    const authKind = input.authKind ?? before.authKind;
    const username = authKind === "basic" ? (input.username !== undefined ? input.username : before.username) : null;
    const secretCiphertext = authKind === "none" ? null : input.secret === undefined ? before.secretCiphertext : input.secret === null ? null : encryptSecret(input.secret);
    checkAuth(authKind, username, secretCiphertext !== null);
    if (input.name !== undefined) await assertNameFree(tx, input.name, id);
    await assertRefs(tx, input.category, input.team);
    const [after] = await tx
      .update(odataSources)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.version !== undefined ? { version: input.version } : {}),
        ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
        ...(input.entitySet !== undefined ? { entitySet: input.entitySet } : {}),
        ...(input.filter !== undefined ? { filter: input.filter || null } : {}),
        ...(input.select !== undefined ? { select: input.select || null } : {}),
        authKind,
        username,
        secretCiphertext,
        ...(input.sapClient !== undefined ? { sapClient: input.sapClient } : {}),
        ...(input.sapLanguage !== undefined ? { sapLanguage: input.sapLanguage } : {}),
        ...(input.mapping !== undefined ? { mapping: storedMapping(input.mapping) } : {}),
        ...(input.category !== undefined ? { categorySlug: input.category } : {}),
        ...(input.team !== undefined ? { teamSlug: input.team } : {}),
        ...(input.intervalMin !== undefined ? { intervalMin: input.intervalMin } : {}),
        ...(input.reportTo !== undefined ? { reportTo: input.reportTo } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.resetDelta ? { deltaCursor: null } : {}),
        updatedAt: new Date(),
      })
      .where(eq(odataSources.id, id))
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "odata_source",
      entityId: id,
      ...actorOf(actor),
      action: "odata_source.updated",
      before: auditState(before),
      // Whether the secret was replaced (not what it is).
      after: { ...auditState(after), secretChanged: input.secret !== undefined },
    });
    return after;
  });
  return toSourceDTO(row, (await lastRuns(db, [row.id])).get(row.id) ?? null);
}

/**
 * Delete a source with its runs and record claims (admins). Tickets it made stay (their
 * metadata names the source). @throws ApiError 403, 404.
 */
export async function deleteSource(db: DbOrTx, id: string, actor: Principal): Promise<void> {
  assertAdmin(actor);
  await db.transaction(async (tx) => {
    const before = await loadRow(tx, id, true);
    await tx.delete(odataSources).where(eq(odataSources.id, id));
    await tx.insert(auditEvents).values({ entityType: "odata_source", entityId: id, ...actorOf(actor), action: "odata_source.deleted", before: auditState(before), after: null });
  });
}

/**
 * Run a source now (admins): create its run (`running`, trigger `manual`) and enqueue the
 * `odata.pull` task for it in the same transaction; the worker pulls it. Works for inactive
 * sources too (to try one out before switching it on).
 * @returns the run (202 body). @throws ApiError 403, 404.
 */
export async function requestRun(db: DbOrTx, id: string, actor: Principal, now = new Date()): Promise<ODataRunDTO> {
  assertAdmin(actor);
  return db.transaction(async (tx) => {
    const source = await loadRow(tx, id, true);
    const [run] = await tx.insert(odataRuns).values({ sourceId: source.id, trigger: "manual", startedAt: now }).returning();
    await enqueueTask<ODataPullTaskData>(tx, ODATA_PULL_TASK, { sourceId: source.id, runId: run.id }, { retryLimit: 2, retryDelayS: 30, singletonKey: `odata-run-${run.id}` });
    await tx.insert(auditEvents).values({ entityType: "odata_source", entityId: id, ...actorOf(actor), action: "odata_source.run_requested", before: null, after: { runId: run.id } });
    return toRunDTO(run);
  });
}

/** A source's runs, newest first (admins). @throws ApiError 403, 404. */
export async function listRuns(db: DbOrTx, sourceId: string, actor: Principal, opts: { limit?: number } = {}): Promise<ODataRunDTO[]> {
  assertAdmin(actor);
  await loadRow(db, sourceId);
  const found = await db
    .select()
    .from(odataRuns)
    .where(eq(odataRuns.sourceId, sourceId))
    .orderBy(desc(odataRuns.startedAt), desc(odataRuns.id))
    .limit(opts.limit ?? 20);
  return found.map(toRunDTO);
}

/** One run with its report (admins). @throws ApiError 403, 404. */
export async function getRun(db: DbOrTx, id: string, actor: Principal): Promise<ODataRunDTO> {
  assertAdmin(actor);
  if (!isUuid(id)) throw new ApiError("not_found", "Run not found");
  const [r] = await db.select().from(odataRuns).where(eq(odataRuns.id, id)).limit(1);
  if (!r) throw new ApiError("not_found", "Run not found");
  return toRunDTO(r);
}
