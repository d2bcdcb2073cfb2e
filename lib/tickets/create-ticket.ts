import { queryPrepared, type DbOrTx } from "@/db/client";
import type { Source } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData, type ReferenceData } from "@/lib/reference/cache";
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

/**
 * The ticket write: ticket, triage decision, audit event, team assignment and embedding in one
 * statement (data-modifying CTEs are atomic), run as a prepared statement. Parameters in order:
 * see the array in {@link createTicket}.
 */
const INSERT_TICKET_SQL = `
WITH t AS (
  INSERT INTO tickets (title, description, requester_email, requester_id, category_slug, priority, source,
                       team_slug, module_slug, project_slug, metadata, needs_review, created_at, updated_at)
  VALUES ($1, $2, $3, $4::uuid, $5, $6::ticket_priority, $7::ticket_source, $8, $9, $10, $11::jsonb, $12::boolean,
          coalesce($13::timestamptz, now()), coalesce($13::timestamptz, now()))
  RETURNING *
), d AS (
  INSERT INTO triage_decisions (ticket_id, mode, provider, model, input_hash, predicted_category, predicted_priority,
    predicted_team, confidence, alternatives, latency_ms, prompt_tokens, completion_tokens, cost_usd, fallback_reason,
    overridden_by, final_category, final_priority, final_team, created_at)
  SELECT t.id, $14::triage_mode, $15, $16, $17, $18, $19::ticket_priority, $20, $21::real, $22::jsonb, $23::real,
         $24::integer, $25::integer, $26::numeric, $27, $28::triage_override_by, t.category_slug, t.priority, t.team_slug,
         t.created_at
  FROM t
), a AS (
  INSERT INTO audit_events (ticket_id, entity_type, entity_id, actor_type, actor_id, actor_label, action, before, after, at)
  SELECT t.id, 'ticket', t.key, $29::actor_type, $30, $31, 'ticket.created', NULL, $32::jsonb, t.created_at FROM t
), g AS (
  INSERT INTO ticket_assignments (ticket_id, team_slug, reason, assigned_at)
  SELECT t.id, t.team_slug, 'triage', t.created_at FROM t WHERE t.team_slug IS NOT NULL
), e AS (
  INSERT INTO ticket_embeddings (ticket_id, model, embedding) SELECT t.id, $33, $34::real[] FROM t
)
SELECT t.id::float8 AS id, t.key, t.title, t.description, t.requester_email, t.category_slug, t.priority::text AS priority,
       t.status::text AS status, t.source::text AS source, t.team_slug, t.module_slug, t.project_slug, t.metadata,
       t.resolution, t.needs_review, t.created_at, t.updated_at
FROM t`;

/**
 * File a ticket: triage it, then write the ticket, its triage decision, the initial team
 * assignment, its embedding (for similar tickets) and the `ticket.created` audit event in ONE statement (a data-modifying CTE is
 * atomic and costs a single round trip). A category or priority given by the caller wins
 * over the suggestion; the decision row records the override (`overridden_by = requester`).
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
  const triage = await triageTicket(db, { title: input.title, description: input.description }, { normalized });
  const category = input.category ?? triage.category;
  const priority = input.priority ?? triage.priority;
  const team = input.category ? (ref.teamByCategory.get(category) ?? null) : triage.team;
  const overridden = {
    category: input.category !== undefined && input.category !== triage.category,
    priority: input.priority !== undefined && input.priority !== triage.priority,
  };
  const needsReview = triage.needsReview && input.category === undefined;
  const source = input.source ?? ctx.defaultSource;
  const actor = actorOf(p, input.email);
  const requesterId = p && !isStaff(p) ? p.userId : null;
  const createdAt = ctx.createdAt ? ctx.createdAt.toISOString() : null;

  const embedding = embedTicket(normalized);
  const after = {
    title: input.title,
    category,
    priority,
    team,
    source,
    email: input.email,
  };

  const [row] = await queryPrepared<Record<string, unknown>>(db, INSERT_TICKET_SQL, [
    input.title,
    input.description,
    input.email,
    requesterId,
    category,
    priority,
    source,
    team,
    input.module ?? null,
    input.project ?? null,
    JSON.stringify(input.metadata ?? {}),
    needsReview,
    createdAt,
    triage.mode,
    triage.provider,
    triage.model,
    triage.inputHash,
    triage.category,
    triage.priority,
    triage.team,
    triage.confidence,
    JSON.stringify(triage.alternatives),
    triage.latencyMs,
    triage.promptTokens,
    triage.completionTokens,
    triage.costUsd,
    triage.fallbackReason,
    overridden.category || overridden.priority ? "requester" : null,
    actor.actorType,
    actor.actorId,
    actor.actorLabel,
    JSON.stringify(after),
    embedding.model,
    vectorLiteral(embedding.vector),
  ]);

  const ticketRow: TicketRow = {
    id: Number(row.id),
    key: row.key as string,
    title: row.title as string,
    description: row.description as string,
    requesterEmail: row.requester_email as string,
    categorySlug: row.category_slug as string,
    priority: row.priority as TicketRow["priority"],
    status: row.status as TicketRow["status"],
    source: row.source as TicketRow["source"],
    teamSlug: (row.team_slug as string | null) ?? null,
    assigneeId: null,
    assigneeName: null,
    assigneeEmail: null,
    moduleSlug: (row.module_slug as string | null) ?? null,
    projectSlug: (row.project_slug as string | null) ?? null,
    metadata: (typeof row.metadata === "string" ? JSON.parse(row.metadata) : row.metadata) as Record<string, unknown>,
    resolution: null,
    needsReview: Boolean(row.needs_review),
    createdAt: row.created_at as Date | string,
    updatedAt: row.updated_at as Date | string,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    firstResponseS: null,
    resolutionS: null,
  };
  indexTicket(ticketRow.id, embedding);
  return { ticket: toTicketDTO(ticketRow), triage: { ...triage, needsReview, overridden } };
}
