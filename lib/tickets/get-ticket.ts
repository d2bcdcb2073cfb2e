import "server-only";
import { and, asc, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, ticketComments, triageDecisions } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { slaNow } from "@/lib/sla/now";
import { loadSlaDTO } from "@/lib/sla/read";
import { listTicketExternalLinks, type ExternalLinkDTO } from "@/lib/routing/targets/links";
import { assertCanRead } from "./access";
import { toTicketDTO, type TicketDTO } from "./dto";
import { findTicketRow } from "./queries";
import { listTicketTags } from "./tags";

export interface CommentDTO {
  id: number;
  author: string;
  authorRole: string;
  body: string;
  internal: boolean;
  createdAt: string;
}

export interface AuditEventDTO {
  id: number;
  actor: string;
  actorType: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}

export interface TriageDecisionDTO {
  mode: string;
  provider: string;
  model: string;
  predicted: { category: string; priority: string; team: string | null };
  final: { category: string; priority: string; team: string | null };
  confidence: number;
  alternatives: { category: string; confidence: number }[];
  latencyMs: number;
  tokens: { prompt: number; completion: number };
  costUsd: number;
  fallbackReason: string | null;
  overriddenBy: string | null;
  createdAt: string;
}

export interface TicketDetail {
  ticket: TicketDTO;
  /** Public replies for requesters; replies and internal notes for agents. Oldest first. */
  comments: CommentDTO[];
  /** Audit timeline, oldest first (agents only; empty for requesters). */
  history: AuditEventDTO[];
  /** The triage decision (agents only). */
  triage: TriageDecisionDTO | null;
  /** Records external systems hold for the ticket (Jira issue, Freshservice ticket, Slack post); agents only. */
  externalLinks: ExternalLinkDTO[];
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * A ticket with its comments, audit timeline and triage decision, as the caller may see it;
 * the ticket's `sla` is computed at the SLA clock's now (lib/sla/now.ts).
 * @throws ApiError 404 when the ticket does not exist or the caller may not see it.
 */
export async function getTicketDetail(db: DbOrTx, key: string, principal: Principal | null): Promise<TicketDetail> {
  const row = await findTicketRow(db, key);
  if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);
  assertCanRead(principal, row);
  const staff = isStaff(principal);

  const [comments, history, decisions, externalLinks, sla, tags] = await Promise.all([
    db
      .select()
      .from(ticketComments)
      .where(staff ? eq(ticketComments.ticketId, row.id) : and(eq(ticketComments.ticketId, row.id), eq(ticketComments.internal, false)))
      .orderBy(asc(ticketComments.createdAt), asc(ticketComments.id)),
    staff
      ? db.select().from(auditEvents).where(eq(auditEvents.ticketId, row.id)).orderBy(asc(auditEvents.at), asc(auditEvents.id))
      : Promise.resolve([]),
    staff
      ? db.select().from(triageDecisions).where(eq(triageDecisions.ticketId, row.id)).orderBy(desc(triageDecisions.id)).limit(1)
      : Promise.resolve([]),
    staff ? listTicketExternalLinks(db, row.id) : Promise.resolve([]),
    slaNow(db).then((now) => loadSlaDTO(db, row.id, now)),
    staff ? listTicketTags(db, row.id) : Promise.resolve(null),
  ]);
  const d = decisions[0];
  return {
    ticket: tags ? { ...toTicketDTO(row, sla), tags } : toTicketDTO(row, sla),
    comments: comments.map((c) => ({
      id: Number(c.id),
      author: c.authorLabel,
      authorRole: c.authorRole,
      body: c.body,
      internal: c.internal,
      createdAt: iso(c.createdAt),
    })),
    history: history.map((h) => ({
      id: Number(h.id),
      actor: h.actorLabel,
      actorType: h.actorType,
      action: h.action,
      before: h.before ?? null,
      after: h.after ?? null,
      at: iso(h.at),
    })),
    triage: d
      ? {
          mode: d.mode,
          provider: d.provider,
          model: d.model,
          predicted: { category: d.predictedCategory, priority: d.predictedPriority, team: d.predictedTeam },
          final: { category: d.finalCategory, priority: d.finalPriority, team: d.finalTeam },
          confidence: d.confidence,
          alternatives: d.alternatives,
          latencyMs: d.latencyMs,
          tokens: { prompt: d.promptTokens, completion: d.completionTokens },
          costUsd: Number(d.costUsd),
          fallbackReason: d.fallbackReason,
          overriddenBy: d.overriddenBy,
          createdAt: iso(d.createdAt),
        }
      : null,
    externalLinks,
  };
}
