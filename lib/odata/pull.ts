import "server-only";
import { and, asc, eq, lte, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { odataRecords, odataRuns, odataSources, tickets } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { decryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { mailFromAddress } from "@/lib/mail/config";
import { logger } from "@/lib/observability/logger";
import { addComment } from "@/lib/tickets/add-comment";
import { createTicket } from "@/lib/tickets/create-ticket";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { triageTicket } from "@/lib/triage/pipeline";
import { fetchAllRecords, ODataFetchError, type FetchOptions, type ODataRequestSpec } from "./client";
import type { ODataRunError } from "./dto";
import { cleanRecords, highestChangedAt, type CleanRecord } from "./records";
import { countExternalCall } from "@/lib/observability/metrics";

/*
 * One pull of an OData source (seed 000 "proactive issues from SAP OData"): claim the source,
 * fetch every page, clean the records, and per record, in its own transaction, claim the
 * (source, external id) row of odata_records: a new claim files a ticket with source `odata`;
 * a known record whose content hash changed gets an internal note on its ticket; an unchanged
 * one is skipped. The primary key of odata_records is what makes one record one ticket across
 * runs and instances. The run's report (odata_runs) and the `odata.run_finished` event commit
 * together with the source's next run time and delta cursor.
 */

type SourceRow = typeof odataSources.$inferSelect;
type RunRow = typeof odataRuns.$inferSelect;

/** A `running` run older than this is taken as abandoned (its process died), in ms. */
export const STALE_RUN_MS = 30 * 60 * 1000;

/** Task queue of pulls: `{}` = every due source (the cron), `{sourceId, runId}` = run now. */
export const ODATA_PULL_TASK = "odata.pull";
/** Data of an {@link ODATA_PULL_TASK} job. */
export interface ODataPullTaskData {
  sourceId?: string;
  runId?: string;
}

/** Options of {@link pullSource}. */
export interface PullOptions {
  /** `schedule` (the cron) or `manual` (run now). */
  trigger: "schedule" | "manual";
  /** The time of the pull: the run's start, and the base of next_run_at. */
  now: Date;
  /** A run row created beforehand (run now answers 202 with its id); else one is created. */
  runId?: string;
  /** Client settings (tests inject delays and limits); defaults from ODATA_TIMEOUT_MS / ODATA_MAX_RECORDS. */
  fetch?: Partial<FetchOptions>;
}

/** The actor of everything a pull writes: the source itself, as an integration (no user). */
export function sourcePrincipal(source: Pick<SourceRow, "id" | "name">): Principal {
  return { kind: "api_key", id: source.id, role: "agent", userId: null, email: null, label: `OData: ${source.name}` };
}

/** The request spec of a source, its secret opened. @throws SecretDecryptError when the secret cannot be opened. */
export function requestSpecOf(s: SourceRow): ODataRequestSpec {
  return {
    version: s.version,
    baseUrl: s.baseUrl,
    entitySet: s.entitySet,
    filter: s.filter,
    select: s.select,
    sapClient: s.sapClient,
    sapLanguage: s.sapLanguage,
    authKind: s.authKind,
    username: s.username,
    secret: s.secretCiphertext ? decryptSecret(s.secretCiphertext) : null,
    changedAtField: s.mapping.changedAt ?? null,
    deltaCursor: s.deltaCursor,
  };
}

/**
 * Claim a source for one run: with the source row locked (FOR UPDATE, so two instances take
 * turns), refuse when another run of it is `running` and younger than {@link STALE_RUN_MS}
 * (older ones are marked failed as abandoned), else create (or adopt `runId`) the run.
 * @returns the run and source, or null when another run is in progress (a given `runId` is then
 *   finished as failed with that reason) or the run was finished already (a redelivered job).
 */
async function claimRun(db: Db, sourceId: string, opts: PullOptions): Promise<{ run: RunRow; source: SourceRow } | null> {
  return db.transaction(async (tx) => {
    const [source] = await tx.select().from(odataSources).where(eq(odataSources.id, sourceId)).for("update").limit(1);
    if (!source) return null;
    const stale = new Date(opts.now.getTime() - STALE_RUN_MS);
    await tx
      .update(odataRuns)
      .set({ status: "failed", finishedAt: opts.now, errors: sql`${odataRuns.errors} || ${JSON.stringify([{ message: "abandoned: the run did not finish (its process stopped)" }])}::jsonb` })
      .where(and(eq(odataRuns.sourceId, sourceId), eq(odataRuns.status, "running"), lte(odataRuns.startedAt, stale)));
    const [other] = await tx
      .select({ id: odataRuns.id })
      .from(odataRuns)
      .where(and(eq(odataRuns.sourceId, sourceId), eq(odataRuns.status, "running"), opts.runId ? ne(odataRuns.id, opts.runId) : undefined))
      .limit(1);
    if (opts.runId) {
      const [mine] = await tx.select().from(odataRuns).where(and(eq(odataRuns.id, opts.runId), eq(odataRuns.sourceId, sourceId))).limit(1);
      if (!mine || mine.status !== "running") return null;
      if (other) {
        await tx
          .update(odataRuns)
          .set({ status: "failed", finishedAt: opts.now, errors: [{ message: "another run of this source was in progress; nothing was pulled" }] })
          .where(eq(odataRuns.id, mine.id));
        return null;
      }
      return { run: mine, source };
    }
    if (other) return null;
    const [run] = await tx.insert(odataRuns).values({ sourceId, trigger: opts.trigger, startedAt: opts.now }).returning();
    return { run, source };
  });
}

/** Counters of one run. */
interface Tally {
  created: number;
  updated: number;
  skipped: number;
  errors: ODataRunError[];
}

/** The note added to a ticket whose record changed: the fields that differ from the ticket, with the new values. */
export function changeNote(sourceName: string, r: CleanRecord, ticket: { title: string; description: string; priority: string }): string {
  const lines = [`The record ${r.externalId} changed in the OData source "${sourceName}".`];
  const changed: string[] = [];
  if (r.title !== ticket.title) changed.push(`Title: ${r.title}`);
  if (r.priority !== ticket.priority) changed.push(`Priority: ${r.priority} (the ticket has ${ticket.priority})`);
  if (r.description && !ticket.description.startsWith(r.description)) changed.push(`Description:\n${r.description}`);
  if (changed.length === 0) lines.push("Its title, priority and description match the ticket as it stands.");
  else lines.push("Changed fields (the source's values now):", ...changed.map((c) => `- ${c}`));
  return lines.join("\n");
}

/** The description of a new ticket: the record's, then where it came from. */
function ticketDescription(sourceName: string, r: CleanRecord): string {
  const origin = `(OData source "${sourceName}", record ${r.externalId})`;
  return r.description ? `${r.description}\n\n${origin}` : `${r.title}\n\n${origin}`;
}

/**
 * Apply one cleaned record, in one transaction: claim (source, external id) with INSERT … ON
 * CONFLICT DO NOTHING; a new claim files the ticket (source `odata`, metadata
 * `{odata: {source, sourceId, externalId}}`, the source's category/team, the mapped priority);
 * a known record with another hash gets an internal note listing the changed fields (internal:
 * the requester is the desk's own address) and its new hash; the same hash is skipped.
 * @returns what happened.
 * @throws ApiError from createTicket (e.g. 422 the source's category no longer exists); the
 *   transaction then rolls back, so the record is tried again next run.
 */
export async function applyRecord(db: Db, source: SourceRow, r: CleanRecord, now: Date): Promise<"created" | "updated" | "skipped" | { closedTicket: string }> {
  const principal = sourcePrincipal(source);
  // Triage (which may call an LLM) runs before the transaction, only for records not seen before.
  const [known] = await db
    .select({ id: odataRecords.externalId })
    .from(odataRecords)
    .where(and(eq(odataRecords.sourceId, source.id), eq(odataRecords.externalId, r.externalId)))
    .limit(1);
  const description = ticketDescription(source.name, r);
  const triage = known ? undefined : await triageTicket(db, { title: r.title, description }, { normalized: normalizeTicketText({ title: r.title, description }) });

  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(odataRecords)
      .values({ sourceId: source.id, externalId: r.externalId, contentHash: r.hash, firstSeenAt: now, lastSeenAt: now })
      .onConflictDoNothing()
      .returning({ externalId: odataRecords.externalId });
    if (claimed) {
      const { ticket } = await createTicket(
        tx,
        {
          title: r.title,
          description,
          email: mailFromAddress(),
          priority: r.priority,
          ...(source.categorySlug ? { category: source.categorySlug } : {}),
          ...(source.teamSlug ? { team: source.teamSlug } : {}),
          source: "odata",
          metadata: { odata: { source: source.name, sourceId: source.id, externalId: r.externalId, changedAt: r.changedAt } },
        },
        { principal, defaultSource: "odata", ...(triage ? { triage } : {}) },
      );
      await tx
        .update(odataRecords)
        .set({ ticketId: Number(ticket.key.slice(2)) })
        .where(and(eq(odataRecords.sourceId, source.id), eq(odataRecords.externalId, r.externalId)));
      return "created" as const;
    }
    const [rec] = await tx
      .select()
      .from(odataRecords)
      .where(and(eq(odataRecords.sourceId, source.id), eq(odataRecords.externalId, r.externalId)))
      .for("update")
      .limit(1);
    const touch = (hash: string) =>
      tx
        .update(odataRecords)
        .set({ contentHash: hash, lastSeenAt: now })
        .where(and(eq(odataRecords.sourceId, source.id), eq(odataRecords.externalId, r.externalId)));
    if (rec.contentHash === r.hash || rec.ticketId === null) {
      await touch(r.hash);
      return "skipped" as const;
    }
    const [t] = await tx
      .select({ key: tickets.key, title: tickets.title, description: tickets.description, priority: tickets.priority, status: tickets.status })
      .from(tickets)
      .where(eq(tickets.id, rec.ticketId))
      .limit(1);
    await touch(r.hash);
    if (!t) return "skipped" as const;
    if (t.status === "closed") return { closedTicket: t.key };
    await addComment(tx, t.key, { body: changeNote(source.name, r, { title: t.title, description: t.description, priority: String(t.priority) }), internal: true }, principal, {
      participant: true,
    });
    return "updated" as const;
  });
}

/** The message of an error thrown while applying a record. */
function recordError(err: unknown): string {
  if (err instanceof ApiError) return `${err.message}${err.details ? ` ${JSON.stringify(err.details).slice(0, 300)}` : ""}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Pull one source now: claim it ({@link claimRun}), fetch all pages (lib/odata/client.ts),
 * clean (lib/odata/records.ts), apply each record ({@link applyRecord}), then in one
 * transaction finish the run (status, counts, errors), set the source's next_run_at = now +
 * interval and, when the fetch succeeded, was not cut at ODATA_MAX_RECORDS and no record
 * failed, its delta cursor to the highest changed-at seen; and emit `odata.run_finished`.
 *
 * Counts: fetched = entities served; created/updated as applied; skipped = unchanged + closed
 * + duplicates within the pull; errors = failed request attempts and records that failed.
 * A failed fetch makes the run `failed` (nothing applied); otherwise it `succeeded`.
 *
 * @returns the finished run, or null when the source does not exist (or was deleted during the
 *   pull) or another run of it is in progress (or `runId` was finished already).
 */
export async function pullSource(db: Db, sourceId: string, opts: PullOptions): Promise<RunRow | null> {
  const claim = await claimRun(db, sourceId, opts);
  if (!claim) return null;
  const { run, source } = claim;
  const started = performance.now();
  const tally: Tally = { created: 0, updated: 0, skipped: 0, errors: [] };
  let fetched = 0;
  let status: "succeeded" | "failed" = "succeeded";
  let cursor = source.deltaCursor;
  try {
    const spec = requestSpecOf(source);
    const result = await fetchAllRecords(spec, { timeoutMs: env().ODATA_TIMEOUT_MS, maxRecords: env().ODATA_MAX_RECORDS, ...opts.fetch }).then(
      (r) => (countExternalCall("odata", "ok"), r),
      (e: unknown) => {
        countExternalCall("odata", "error");
        throw e;
      },
    );
    fetched = result.records.length;
    tally.errors.push(...result.retried);
    const clean = cleanRecords(source.mapping, result.records);
    tally.skipped += clean.closed + clean.duplicates;
    tally.errors.push(...clean.invalid);
    let recordFailed = clean.invalid.length > 0;
    for (const r of clean.records) {
      try {
        const outcome = await applyRecord(db, source, r, opts.now);
        if (typeof outcome === "object") {
          tally.skipped++;
          tally.errors.push({ externalId: r.externalId, message: `${outcome.closedTicket} is closed; the record's change was not added to it` });
        } else tally[outcome]++;
      } catch (err) {
        recordFailed = true;
        tally.errors.push({ externalId: r.externalId, message: recordError(err) });
        logger.warn({ err, source: source.name, externalId: r.externalId }, "OData record could not be applied");
      }
    }
    if (result.truncated) tally.errors.push({ message: `stopped at ${env().ODATA_MAX_RECORDS} records (ODATA_MAX_RECORDS); the delta cursor was kept` });
    else if (!recordFailed) cursor = highestChangedAt(clean.records, source.deltaCursor);
  } catch (err) {
    status = "failed";
    if (err instanceof ODataFetchError) tally.errors.push(...err.errors);
    else tally.errors.push({ message: err instanceof Error ? err.message : String(err) });
  }
  const finishedAt = new Date(opts.now.getTime() + Math.round(performance.now() - started));
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(odataRuns)
      .set({ status, fetched, created: tally.created, updated: tally.updated, skipped: tally.skipped, errors: tally.errors as Record<string, unknown>[], finishedAt })
      .where(eq(odataRuns.id, run.id))
      .returning();
    if (!done) return null; // the source (and its runs) was deleted during the pull
    await tx
      .update(odataSources)
      .set({ nextRunAt: new Date(opts.now.getTime() + source.intervalMin * 60_000), deltaCursor: cursor })
      .where(eq(odataSources.id, source.id));
    await emitRunFinished(tx, source, done);
    return done;
  });
}

/** Emit `odata.run_finished` for a finished run (payload: lib/jobs/events.ts). */
async function emitRunFinished(tx: DbOrTx, source: Pick<SourceRow, "id" | "name">, run: RunRow): Promise<void> {
  await emitEvents(tx, [
    {
      type: "odata.run_finished",
      ticketId: null,
      actor: { type: "system", id: null, label: `OData: ${source.name}` },
      payload: {
        runId: run.id,
        sourceId: source.id,
        sourceName: source.name,
        status: run.status,
        fetched: run.fetched,
        created: run.created,
        updated: run.updated,
        skipped: run.skipped,
        errors: (run.errors ?? []).length,
      },
    },
  ]);
}

/**
 * The cron's work (task `odata.pull` without a source): take due sources (active,
 * next_run_at <= now) a few at a time with FOR UPDATE SKIP LOCKED and push their next_run_at
 * forward by their interval in the same transaction, so instances split the work and none
 * takes a source twice; then pull each. At most `maxSources` (default 50) per call.
 * @returns the runs made (sources skipped because another run was in progress are left out).
 */
export async function pullDueSources(db: Db, now: Date, opts: { maxSources?: number; fetch?: Partial<FetchOptions> } = {}): Promise<RunRow[]> {
  const runs: RunRow[] = [];
  const max = opts.maxSources ?? 50;
  for (let taken = 0; taken < max; ) {
    const ids = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: odataSources.id, intervalMin: odataSources.intervalMin })
        .from(odataSources)
        .where(and(eq(odataSources.active, true), lte(odataSources.nextRunAt, now)))
        .orderBy(asc(odataSources.nextRunAt))
        .limit(Math.min(5, max - taken))
        .for("update", { skipLocked: true });
      for (const s of due) {
        await tx
          .update(odataSources)
          .set({ nextRunAt: new Date(now.getTime() + s.intervalMin * 60_000) })
          .where(eq(odataSources.id, s.id));
      }
      return due.map((s) => s.id);
    });
    if (ids.length === 0) break;
    taken += ids.length;
    for (const id of ids) {
      const run = await pullSource(db, id, { trigger: "schedule", now, fetch: opts.fetch });
      if (run) runs.push(run);
    }
  }
  return runs;
}
