import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { embedEmployeeProfile, employeeProfileText } from "@/lib/routing/employees/profile";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { localModelVersion } from "@/lib/triage/local-classifier";
import { embedTicket } from "@/lib/triage/similar";
import { inWorkingHours } from "./hours";
import { providerSimilarities, type ProviderEmbeddingOutcome } from "./provider-embeddings";
import { rerankWithLlm, type RerankOutcome } from "./rerank";

/**
 * Assignee matching (issue #8 §4): who in the ticket's team should work on it.
 *
 * Candidates: active employees of the team linked to an active agent or admin user.
 * Filters: in working hours now (their time zone) and below capacity (open tickets assigned
 * to their user in an open-work status below `max_open_tickets`).
 *
 * Score, 0–1 (weights {@link WEIGHTS}):
 * - `skills`: 1 − 0.5^k for k profile skills found in the ticket text (PostgreSQL full text,
 *   each skill as a phrase query on the english configuration, so "printers" matches "printer"
 *   and "active directory" needs both words in order);
 * - `lexical`: ts_rank of the profile text against an OR of the ticket's lexemes, divided by
 *   the best in the team (0 when nobody matches);
 * - `semantic`: cosine of the ticket's and the profile's local-model embeddings (same 128-d space,
 *   lib/triage/similar.ts), below zero taken as zero; the LLM provider's embeddings instead when
 *   LLM_EMBEDDING_MODEL is set (lib/routing/assign/provider-embeddings.ts; local on any failure).
 *   Off in the lexical-only mode.
 * Ties (equal score to 3 decimals) go to the lower current load, then to whoever was assigned
 * least recently (never first). With an LLM configured, the top 5 eligible are reranked by it
 * (lib/routing/assign/rerank.ts); any failure keeps this order and records why.
 */
export const WEIGHTS = { skills: 0.45, lexical: 0.25, semantic: 0.3 } as const;

/** Ticket statuses that keep work open and count against capacity. `waiting` does not: the work is paused on someone else. */
export const OPEN_WORK_STATUSES = ["new", "open", "in_progress"] as const;

/** The ticket to place: its text and team; `id` lets ranking reuse the stored embedding. */
export interface RankTicket {
  id?: number | null;
  title: string;
  description: string;
  teamSlug: string;
}

export interface RankOptions {
  /** The time working hours are checked at (default: now). */
  now?: Date;
  /** Include the embedding similarity (default true); false = lexical only. */
  semantic?: boolean;
  /** Skip the working-hours filter (evaluation). */
  ignoreHours?: boolean;
  /** Skip the capacity filter (evaluation). */
  ignoreCapacity?: boolean;
  /** Ask the configured LLM to rerank the top 5 (default true; nothing happens without an LLM). */
  rerank?: boolean;
  /** Use the provider's embeddings when LLM_EMBEDDING_MODEL is set (default true). */
  providerEmbeddings?: boolean;
}

/** Why a candidate is where it is: stored in ticket_assignments.details and shown on the ticket. */
export interface CandidateReasons {
  /** Profile skills found in the ticket text, in profile order. */
  matchedSkills: string[];
  /** Lexical score relative to the best in the team, 0–1. */
  lexical: number;
  /** Cosine similarity of ticket and profile embeddings, 0–1 (0 in lexical-only mode). */
  semantic: number;
  /** Combined score, 0–1. */
  score: number;
  /** Open tickets assigned to them now (statuses {@link OPEN_WORK_STATUSES}). */
  load: number;
  /** Their max_open_tickets. */
  capacity: number;
  /** In their working hours at the ranking time. */
  inHours: boolean;
}

export interface Candidate extends CandidateReasons {
  employeeId: string;
  userId: string;
  name: string;
  email: string;
  seniority: string;
  skills: string[];
  /** Last time anyone was assigned this person (ISO), null when never. */
  lastAssignedAt: string | null;
  /** Why they cannot take the ticket now; null when eligible. */
  excluded: "out_of_hours" | "at_capacity" | null;
}

export interface Ranking {
  /** Eligible candidates, best first (after the LLM rerank when it ran). */
  candidates: Candidate[];
  /** Team members filtered out, with `excluded` set. */
  excluded: Candidate[];
  /** What the LLM rerank did (`skipped` without an LLM or with fewer than two candidates). */
  rerank: RerankOutcome;
  /** Whether the semantic part came from the provider's embeddings (`used`) or the local model. */
  embeddings: ProviderEmbeddingOutcome;
}

interface CandidateRow extends Record<string, unknown> {
  employee_id: string;
  user_id: string;
  name: string;
  email: string;
  seniority: string;
  skills: string[] | string;
  department: string;
  max_open_tickets: number;
  time_zone: string;
  work_start_min: number;
  work_end_min: number;
  work_days: number[] | string;
  embedding: number[] | string | null;
  embedding_model: string | null;
  lexical: number;
  matched: string[] | string;
  load: number;
  last_assigned: string | null;
}

/** A PostgreSQL array as either driver returns it (PGlite may hand back the text form for some types). */
function pgArray<T>(v: T[] | string | null, map: (s: string) => T): T[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  const inner = v.slice(1, -1);
  if (!inner) return [];
  return inner.split(",").map((s) => map(s.replace(/^"(.*)"$/, "$1").replace(/\\(.)/g, "$1")));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Rank the members of the ticket's team for the ticket.
 *
 * @param db caller's database or transaction (read only).
 * @returns eligible candidates best first, the excluded ones, and what the rerank did.
 */
export async function rankCandidates(db: DbOrTx, ticket: RankTicket, opts: RankOptions = {}): Promise<Ranking> {
  const now = opts.now ?? new Date();
  const useSemantic = opts.semantic !== false;
  const text = `${ticket.title}\n${ticket.description}`;
  const statuses = sql.join(OPEN_WORK_STATUSES.map((s) => sql`${s}`), sql`, `);
  const found = await rows<CandidateRow>(
    db,
    sql`WITH q AS (SELECT to_tsvector('english', ${text}) AS doc),
        qq AS (SELECT doc, (SELECT string_agg(quote_literal(l), ' | ') FROM unnest(tsvector_to_array(doc)) l)::tsquery AS query FROM q)
        SELECT e.id::text AS employee_id, e.user_id::text AS user_id, e.name, e.email, e.seniority, e.skills, e.department,
          e.max_open_tickets, e.time_zone, e.work_start_min, e.work_end_min, e.work_days, e.embedding, e.embedding_model,
          coalesce(ts_rank(to_tsvector('english', array_to_string(e.skills, ', ') || '. ' || e.department), qq.query), 0)::float8 AS lexical,
          ARRAY(SELECT s FROM unnest(e.skills) s
                WHERE numnode(phraseto_tsquery('english', s)) > 0 AND qq.doc @@ phraseto_tsquery('english', s)) AS matched,
          (SELECT count(*) FROM tickets t WHERE t.assignee_id = e.user_id AND t.status::text IN (${statuses}))::int AS load,
          (SELECT max(a.assigned_at) FROM ticket_assignments a WHERE a.assignee_id = e.user_id)::text AS last_assigned
        FROM employees e JOIN users u ON u.id = e.user_id CROSS JOIN qq
        WHERE e.team_slug = ${ticket.teamSlug} AND e.active AND u.active AND u.role IN ('agent', 'admin')
        ORDER BY e.email`,
  );
  const none = { status: "skipped", reason: "no candidates" } as const;
  if (found.length === 0) return { candidates: [], excluded: [], rerank: none, embeddings: none };

  const ticketVec = useSemantic ? await ticketEmbedding(db, ticket) : null;
  let embeddings: ProviderEmbeddingOutcome = { status: "skipped", reason: useSemantic ? "not requested" : "lexical only" };
  let providerSims: Map<string, number> | null = null;
  if (useSemantic && opts.providerEmbeddings !== false) {
    const profiles = new Map(found.map((r) => [r.employee_id, employeeProfileText({ department: r.department, skills: pgArray(r.skills, String) })]));
    ({ outcome: embeddings, sims: providerSims } = await providerSimilarities(text, profiles));
  }
  const maxLexical = Math.max(0, ...found.map((r) => Number(r.lexical)));
  const all: Candidate[] = found.map((r) => {
    const skills = pgArray(r.skills, String);
    const matchedSkills = pgArray(r.matched, String);
    const lexical = maxLexical > 0 ? Number(r.lexical) / maxLexical : 0;
    let semantic = 0;
    if (providerSims) {
      semantic = Math.max(0, providerSims.get(r.employee_id) ?? 0);
    } else if (ticketVec) {
      const v = profileVector(r, skills, ticketVec.model);
      semantic = v.length === ticketVec.vector.length ? Math.max(0, dot(v, ticketVec.vector)) : 0;
    }
    const skillScore = 1 - 0.5 ** matchedSkills.length;
    const score = WEIGHTS.skills * skillScore + WEIGHTS.lexical * lexical + (useSemantic ? WEIGHTS.semantic * semantic : 0);
    const load = Number(r.load);
    const capacity = Number(r.max_open_tickets);
    const inHours = inWorkingHours(
      { timeZone: r.time_zone, workStartMin: Number(r.work_start_min), workEndMin: Number(r.work_end_min), workDays: pgArray(r.work_days, Number) },
      now,
    );
    const excluded = !opts.ignoreHours && !inHours ? "out_of_hours" : !opts.ignoreCapacity && load >= capacity ? "at_capacity" : null;
    return {
      employeeId: r.employee_id,
      userId: r.user_id,
      name: r.name,
      email: r.email,
      seniority: r.seniority,
      skills,
      matchedSkills,
      lexical: round3(lexical),
      semantic: round3(semantic),
      score: round3(score),
      load,
      capacity,
      inHours,
      lastAssignedAt: r.last_assigned,
      excluded,
    };
  });
  all.sort(compareCandidates);
  const eligible = all.filter((c) => c.excluded === null);
  const excluded = all.filter((c) => c.excluded !== null);
  if (opts.rerank === false) return { candidates: eligible, excluded, rerank: { status: "skipped", reason: "disabled" }, embeddings };
  const { order, outcome } = await rerankWithLlm(ticket, eligible);
  return { candidates: order, excluded, rerank: outcome, embeddings };
}

/** Best first: higher score, then lower load, then assigned least recently (never first), then e-mail. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.load !== b.load) return a.load - b.load;
  return compareLastAssigned(a, b) || a.email.localeCompare(b.email);
}

/** Least recently assigned first; never assigned before anyone. */
export function compareLastAssigned(a: { lastAssignedAt: string | null }, b: { lastAssignedAt: string | null }): number {
  if (a.lastAssignedAt === b.lastAssignedAt) return 0;
  if (a.lastAssignedAt === null) return -1;
  if (b.lastAssignedAt === null) return 1;
  return Date.parse(a.lastAssignedAt) - Date.parse(b.lastAssignedAt);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The stored profile embedding when it was made by the current model, else computed now. */
function profileVector(r: CandidateRow, skills: string[], model: string): ArrayLike<number> {
  if (r.embedding !== null && r.embedding_model === model) return pgArray(r.embedding, Number);
  return embedEmployeeProfile({ department: r.department, skills }).vector;
}

/** The ticket's stored embedding (current model), else one computed from its text. */
async function ticketEmbedding(db: DbOrTx, ticket: RankTicket): Promise<{ model: string; vector: ArrayLike<number> }> {
  const computed = () => embedTicket(normalizeTicketText({ title: ticket.title, description: ticket.description }));
  if (ticket.id == null) return computed();
  const [stored] = await rows<{ model: string; embedding: number[] | string }>(
    db,
    sql`SELECT model, embedding FROM ticket_embeddings WHERE ticket_id = ${ticket.id}`,
  );
  if (stored && stored.model === localModelVersion()) return { model: stored.model, vector: pgArray(stored.embedding, Number) };
  return computed();
}
