import type { Priority, Source, Status, WaitingReason } from "@/db/schema";
import type { TicketSlaDTO } from "@/lib/sla/types";

/** A ticket as the API returns it. Timestamps are ISO-8601 strings (UTC); durations in seconds. */
export interface TicketDTO {
  key: string;
  title: string;
  description: string;
  email: string;
  category: string;
  priority: Priority;
  status: Status;
  /** On whom a `waiting` ticket waits; null in every other status. */
  waitingReason: WaitingReason | null;
  source: Source;
  team: string | null;
  assignee: { id: string; name: string; email: string } | null;
  module: string | null;
  project: string | null;
  metadata: Record<string, unknown>;
  resolution: string | null;
  needsReview: boolean;
  /** Key of the earlier ticket this one follows up, if any. */
  followUpOf: string | null;
  /** False while a ticket filed by a signed-out visitor awaits the requester's confirmation. */
  requesterVerified: boolean;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  firstResponseS: number | null;
  resolutionS: number | null;
  /** The SLA clock (policy, due times, state, business seconds left); null when no policy applies. */
  sla: TicketSlaDTO | null;
  /**
   * Search results only (`q`): the title and a description excerpt with the matched words
   * (corrected typos included) between U+0001 and U+0002 — plain text, never HTML; `snippet`
   * is null when the description has no match (lib/search/highlight.ts).
   */
  highlight?: { title: string; snippet: string | null };
  /** Tags (lower-case, alphabetical); set for agents on the ticket detail (lib/tickets/tags.ts), absent elsewhere. */
  tags?: string[];
}

/** The internal row shape the queries select (camelCase, as drizzle returns it). */
export interface TicketRow {
  id: number;
  key: string;
  title: string;
  description: string;
  requesterEmail: string;
  categorySlug: string;
  priority: Priority;
  status: Status;
  waitingReason: WaitingReason | null;
  source: Source;
  teamSlug: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
  moduleSlug: string | null;
  projectSlug: string | null;
  metadata: Record<string, unknown>;
  resolution: string | null;
  needsReview: boolean;
  followUpOfId: number | null;
  requesterVerified: boolean;
  createdAt: Date | string;
  updatedAt: Date | string;
  firstResponseAt: Date | string | null;
  resolvedAt: Date | string | null;
  closedAt: Date | string | null;
  firstResponseS: number | null;
  resolutionS: number | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

/** Map a selected row (and its SLA, lib/sla/state.ts toSlaDTO) to the API shape. */
export function toTicketDTO(r: TicketRow, sla: TicketSlaDTO | null = null): TicketDTO {
  return {
    key: r.key,
    title: r.title,
    description: r.description,
    email: r.requesterEmail,
    category: r.categorySlug,
    priority: r.priority,
    status: r.status,
    waitingReason: r.waitingReason ?? null,
    source: r.source,
    team: r.teamSlug,
    assignee:
      r.assigneeId && r.assigneeName && r.assigneeEmail
        ? { id: r.assigneeId, name: r.assigneeName, email: r.assigneeEmail }
        : null,
    module: r.moduleSlug,
    project: r.projectSlug,
    metadata: r.metadata ?? {},
    resolution: r.resolution,
    needsReview: r.needsReview,
    followUpOf: r.followUpOfId ? `T-${Number(r.followUpOfId)}` : null,
    requesterVerified: r.requesterVerified ?? true,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    firstResponseAt: isoOrNull(r.firstResponseAt),
    resolvedAt: isoOrNull(r.resolvedAt),
    closedAt: isoOrNull(r.closedAt),
    firstResponseS: r.firstResponseS === null ? null : Number(r.firstResponseS),
    resolutionS: r.resolutionS === null ? null : Number(r.resolutionS),
    sla,
  };
}
