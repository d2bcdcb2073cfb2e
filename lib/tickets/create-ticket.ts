import "server-only";
import { metrics } from "@/lib/observability/metrics";
import { currentRequestId } from "@/lib/observability/request-context";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { buildStatement, builtOnce, runStatement, type BuiltStatement } from "@/db/prepared";
import { auditEvents, domainEvents, ticketAssignments, ticketEmbeddings, tickets, triageDecisions, type Source } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { linkAttachments } from "@/lib/files/uploads/attach";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData, type ReferenceData } from "@/lib/reference/cache";
import { applyTicketSla } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import { toSlaDTO } from "@/lib/sla/state";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { triageTicket } from "@/lib/triage/pipeline";
import { embedTicket, indexTicket, vectorLiteral } from "@/lib/triage/similar";
import type { TriageResult } from "@/lib/triage/types";
import { actorOf } from "./access";
import { toTicketDTO, type TicketDTO, type TicketRow } from "./dto";
import type { CreateTicketInput } from "./schemas";

/** The triage result returned with a created ticket: the suggestion plus what was overridden. */
export interface CreatedTriage extends TriageResult {
  overridden: { category: boolean; priority: boolean };
}

export interface CreateTicketContext {
  principal: Principal | null;
  /** Channel when the input does not name one: `web` for the form, `api` for integrations. */
  defaultSource: Source;
  /** Timestamp for imports and seeding (ISO or Date); defaults to now. Not exposed to the API. */
  createdAt?: Date;
  /** Id of the earlier ticket this one follows up (a requester's reply to a closed ticket). */
  followUpOfId?: number;
  /**
   * Team (slug) for tickets the triage is unsure of (`needsReview`) when the caller named neither
   * team nor category: the general queue instead of the suggestion's team (the integration
   * webhook passes `service-desk`, seed 001's fallback). Unset: the suggestion's team, as before.
   */
  lowConfidenceTeam?: string;
  /**
   * A triage result the caller computed before its transaction, for this same title and
   * description (inbound e-mail triages first so that an LLM call never runs inside the
   * transaction that holds the message's row lock). Unset: triaged here.
   */
  triage?: TriageResult;
  /** "Now" for the SLA clock (tests, imports); defaults to lib/sla/now.ts slaNow. */
  now?: Date;
}

/** Throws 422 with the valid choices when a slug does not name an existing, active record. */
export function assertReferences(ref: ReferenceData, input: { category?: string; module?: string; project?: string; team?: string | null }): void {
  if (input.category !== undefined) {
    const c = ref.categoryBySlug.get(input.category);
    if (!c || !c.active) {
      throw new ApiError("unprocessable", `Unknown category '${input.category}'`, {
        field: "category",
        allowed: ref.categories.filter((x) => x.active).map((x) => x.slug),
      });
    }
  }
  if (input.module !== undefined && !ref.moduleSlugs.has(input.module)) {
    throw new ApiError("unprocessable", `Unknown module '${input.module}'`, { field: "module", allowed: [...ref.moduleSlugs] });
  }
  if (input.project !== undefined && !ref.projectSlugs.has(input.project)) {
    throw new ApiError("unprocessable", `Unknown project '${input.project}'`, { field: "project", allowed: [...ref.projectSlugs] });
  }
  if (input.team !== undefined && input.team !== null && !ref.teamBySlug.has(input.team)) {
    throw new ApiError("unprocessable", `Unknown team '${input.team}'`, { field: "team", allowed: ref.teams.map((t) => t.slug) });
  }
}

/** The values of one ticket write, by placeholder name (see {@link ticketWriteStatement}). */
interface TicketWriteValues {
  title: string;
  description: string;
  requesterEmail: string;
  requesterId: string | null;
  categorySlug: string;
  priority: string;
  source: string;
  teamSlug: string | null;
  moduleSlug: string | null;
  projectSlug: string | null;
  metadata: Record<string, unknown>;
  needsReview: boolean;
  followUpOfId: number | null;
  requesterVerified: boolean;
  /** ISO timestamp for imports and seeding; null = now(). */
  createdAt: string | null;
  mode: string;
  provider: string;
  model: string;
  inputHash: string;
  predictedCategory: string;
  predictedPriority: string;
  /** Who set predictedPriority: "rules" or "llm". */
  prioritySource: string;
  predictedTeam: string | null;
  confidence: number;
  alternatives: unknown;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
  fallbackReason: string | null;
  overriddenBy: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  auditAfter: Record<string, unknown>;
  embeddingModel: string;
  /** real[] literal, e.g. `{0.1,0.2}`. */
  embedding: string;
  eventActor: Record<string, unknown>;
  /** JSON text of the event payload (the key is added in SQL). */
  eventPayload: string;
  /** The request id in progress (its jobs run under it), or null. */
  requestId: string | null;
}

const ph = (name: keyof TicketWriteValues) => sql.placeholder(name);

/**
 * The ticket write as ONE statement of data-modifying CTEs (atomic, one round trip): the
 * ticket, its triage decision, the `ticket.created` audit event, the initial team assignment,
 * its embedding and the `ticket.created` domain event. Each part is a typed drizzle insert over
 * the schema's tables, with named placeholders for the values; the rows that need the new ticket
 * read it from the `t` CTE. Built once per process (db/prepared.ts): each call only fills the
 * placeholders (with the columns' encoders, e.g. JSON for jsonb) and runs it as a prepared
 * statement (planned once per connection).
 */
const ticketWriteStatement = builtOnce((db: DbOrTx): BuiltStatement => {
  const tId = sql`(SELECT id FROM t)`;
  const tCreated = sql`(SELECT created_at FROM t)`;
  const at = sql`coalesce(${ph("createdAt")}::timestamptz, now())`;
  const ticketInsert = db
    .insert(tickets)
    .values({
      title: ph("title"),
      description: ph("description"),
      requesterEmail: ph("requesterEmail"),
      requesterId: ph("requesterId"),
      categorySlug: ph("categorySlug"),
      priority: ph("priority"),
      source: ph("source"),
      teamSlug: ph("teamSlug"),
      moduleSlug: ph("moduleSlug"),
      projectSlug: ph("projectSlug"),
      metadata: ph("metadata"),
      needsReview: ph("needsReview"),
      followUpOfId: ph("followUpOfId"),
      requesterVerified: ph("requesterVerified"),
      createdAt: at,
      updatedAt: at,
    })
    // the columns the other CTEs and the result read from t
    .returning({
      id: tickets.id,
      key: tickets.key,
      categorySlug: tickets.categorySlug,
      priority: tickets.priority,
      teamSlug: tickets.teamSlug,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
    });
  const decisionInsert = db.insert(triageDecisions).values({
    ticketId: tId,
    mode: ph("mode"),
    provider: ph("provider"),
    model: ph("model"),
    inputHash: ph("inputHash"),
    predictedCategory: ph("predictedCategory"),
    predictedPriority: ph("predictedPriority"),
    prioritySource: ph("prioritySource"),
    predictedTeam: ph("predictedTeam"),
    confidence: ph("confidence"),
    alternatives: ph("alternatives"),
    latencyMs: ph("latencyMs"),
    promptTokens: ph("promptTokens"),
    completionTokens: ph("completionTokens"),
    costUsd: ph("costUsd"),
    fallbackReason: ph("fallbackReason"),
    overriddenBy: ph("overriddenBy"),
    finalCategory: sql`(SELECT category_slug FROM t)`,
    finalPriority: sql`(SELECT priority FROM t)`,
    finalTeam: sql`(SELECT team_slug FROM t)`,
    createdAt: tCreated,
  });
  const auditInsert = db.insert(auditEvents).values({
    ticketId: tId,
    entityType: "ticket",
    entityId: sql`(SELECT key FROM t)`,
    actorType: ph("actorType"),
    actorId: ph("actorId"),
    actorLabel: ph("actorLabel"),
    action: "ticket.created",
    before: null,
    after: ph("auditAfter"),
    at: tCreated,
  });
  const assignmentInsert = sql`INSERT INTO ${ticketAssignments} (ticket_id, team_slug, reason, assigned_at)
    SELECT t.id, t.team_slug, 'triage', t.created_at FROM t WHERE t.team_slug IS NOT NULL`;
  const embeddingInsert = db.insert(ticketEmbeddings).values({
    ticketId: tId,
    model: ph("embeddingModel"),
    embedding: sql`${ph("embedding")}::real[]`,
  });
  const eventInsert = db.insert(domainEvents).values({
    type: "ticket.created",
    ticketId: tId,
    actor: ph("eventActor"),
    payload: sql`${ph("eventPayload")}::jsonb || jsonb_build_object('key', (SELECT key FROM t))`,
    requestId: ph("requestId"),
    createdAt: tCreated,
  });
  // drizzle parenthesises embedded statements itself: `t AS ${ticketInsert}` is `t AS (INSERT …)`.
  return buildStatement(
    sql`WITH t AS ${ticketInsert}, d AS ${decisionInsert}, a AS ${auditInsert},
      g AS (${assignmentInsert}), e AS ${embeddingInsert}, ev AS ${eventInsert}
      SELECT t.id::float8 AS id, t.key, t.created_at, t.updated_at FROM t`,
  );
});

/**
 * File a ticket: triage it, then write the ticket, its triage decision, the initial team
 * assignment, its embedding (for similar tickets), the `ticket.created` audit event and the
 * `ticket.created` domain event in ONE statement (see {@link ticketWriteStatement}), then its SLA
 * clock (lib/sla/clock-service.ts), in one transaction. A category
 * or priority given by the caller wins over the suggestion; the decision row records the
 * override (`overridden_by = requester`). A ticket filed by a signed-out visitor is
 * unverified (`requesterVerified: false`) until the claimed requester confirms it by mail.
 *
 * @returns the stored ticket and the triage result (suggestion, provenance, overrides).
 * @throws ApiError 403 when a requester files for another e-mail; 422 for unknown
 *   category/module/project slugs.
 */
export async function createTicket(
  db: DbOrTx,
  input: CreateTicketInput,
  ctx: CreateTicketContext,
): Promise<{ ticket: TicketDTO; triage: CreatedTriage }> {
  const p = ctx.principal;
  if (p && !isStaff(p) && p.email !== input.email) {
    throw new ApiError("forbidden", "Requesters can only file tickets under their own e-mail address", {
      field: "email",
    });
  }
  const ref = await getReferenceData(db);
  assertReferences(ref, input);

  const normalized = normalizeTicketText({ title: input.title, description: input.description });
  const triage = ctx.triage ?? (await triageTicket(db, { title: input.title, description: input.description }, { normalized }));
  const category = input.category ?? triage.category;
  const priority = input.priority ?? triage.priority;
  // A department the requester chose wins; else the chosen category's team; else the suggestion's.
  // A ticket the triage is unsure of goes to the caller's fallback queue, when it gives one.
  const suggestedTeam = triage.needsReview && ctx.lowConfidenceTeam ? ctx.lowConfidenceTeam : triage.team;
  const team = input.team ?? (input.category ? (ref.teamByCategory.get(category) ?? null) : suggestedTeam);
  const overridden = {
    category: input.category !== undefined && input.category !== triage.category,
    priority: input.priority !== undefined && input.priority !== triage.priority,
  };
  const needsReview = triage.needsReview && input.category === undefined;
  const source = input.source ?? ctx.defaultSource;
  const actor = actorOf(p, input.email);
  const requesterId = p && !isStaff(p) ? p.userId : null;

  const embedding = embedTicket(normalized);
  const after = {
    title: input.title,
    category,
    priority,
    team,
    source,
    email: input.email,
  };

  // Only the public form is anonymous; seeds, imports and other system paths file for known requesters.
  const requesterVerified = !(p === null && ctx.defaultSource === "web");
  const values: TicketWriteValues = {
    title: input.title,
    description: input.description,
    requesterEmail: input.email,
    requesterId,
    categorySlug: category,
    priority,
    source,
    teamSlug: team,
    moduleSlug: input.module ?? null,
    projectSlug: input.project ?? null,
    metadata: input.metadata ?? {},
    needsReview,
    followUpOfId: ctx.followUpOfId ?? null,
    requesterVerified,
    createdAt: ctx.createdAt ? ctx.createdAt.toISOString() : null,
    mode: triage.mode,
    provider: triage.provider,
    model: triage.model,
    inputHash: triage.inputHash,
    predictedCategory: triage.category,
    predictedPriority: triage.priority,
    prioritySource: triage.prioritySource,
    predictedTeam: triage.team,
    confidence: triage.confidence,
    alternatives: triage.alternatives,
    latencyMs: triage.latencyMs,
    promptTokens: triage.promptTokens,
    completionTokens: triage.completionTokens,
    costUsd: String(triage.costUsd),
    fallbackReason: triage.fallbackReason,
    overriddenBy: overridden.category || overridden.priority ? "requester" : null,
    actorType: actor.actorType,
    actorId: actor.actorId,
    actorLabel: actor.actorLabel,
    auditAfter: after,
    embeddingModel: embedding.model,
    embedding: vectorLiteral(embedding.vector),
    eventActor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
    eventPayload: JSON.stringify({
      status: "new",
      priority,
      category,
      team,
      source,
      requesterEmail: input.email,
      unverified: !requesterVerified,
      followUpOf: ctx.followUpOfId ? `T-${ctx.followUpOfId}` : null,
    }),
    requestId: currentRequestId() ?? null,
  };
  const write = async (conn: DbOrTx) => {
    const [r] = await runStatement<{ id: number; key: string; created_at: Date | string; updated_at: Date | string }>(
      conn,
      ticketWriteStatement(conn),
      values as unknown as Record<string, unknown>,
    );
    return r;
  };
  const attachmentIds = input.attachmentIds ?? [];
  if (attachmentIds.length > 0 && !p) throw new ApiError("unauthorized", "Sign in to attach files");
  // The ticket, its attachment links and its SLA clock commit together.
  const { row, sla } = await db.transaction(async (tx) => {
    const r = await write(tx);
    if (attachmentIds.length > 0) await linkAttachments(tx, p!, attachmentIds, { ticketId: Number(r.id) });
    const now = ctx.now ?? (await slaNow(tx));
    const applied = await applyTicketSla(tx, Number(r.id), now);
    return { row: r, sla: applied ? toSlaDTO(applied.row, applied.calendar, now) : null };
  });

  const ticketRow: TicketRow = {
    id: Number(row.id),
    key: row.key,
    title: input.title,
    description: input.description,
    requesterEmail: input.email,
    categorySlug: category,
    priority,
    status: "new",
    waitingReason: null,
    source,
    teamSlug: team,
    assigneeId: null,
    assigneeName: null,
    assigneeEmail: null,
    moduleSlug: input.module ?? null,
    projectSlug: input.project ?? null,
    metadata: input.metadata ?? {},
    resolution: null,
    needsReview,
    followUpOfId: ctx.followUpOfId ?? null,
    requesterVerified,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    firstResponseS: null,
    resolutionS: null,
  };
  indexTicket(ticketRow.id, embedding);
  // Counted when written (a caller's transaction rolled back later would overcount by one).
  metrics().ticketsCreated.inc({ source, category: category ?? "none" });
  metrics().confidence.observe({ provider: triage.provider }, triage.confidence);
  return { ticket: toTicketDTO(ticketRow, sla), triage: { ...triage, needsReview, overridden } };
}
