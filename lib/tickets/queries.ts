import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tickets, users } from "@/db/schema";
import type { TicketRow } from "./dto";

/** Columns every ticket read selects (with the assignee's name and e-mail). */
export const ticketColumns = {
  id: tickets.id,
  key: tickets.key,
  title: tickets.title,
  description: tickets.description,
  requesterEmail: tickets.requesterEmail,
  categorySlug: tickets.categorySlug,
  priority: tickets.priority,
  status: tickets.status,
  waitingReason: tickets.waitingReason,
  source: tickets.source,
  teamSlug: tickets.teamSlug,
  assigneeId: tickets.assigneeId,
  assigneeName: users.name,
  assigneeEmail: users.email,
  moduleSlug: tickets.moduleSlug,
  projectSlug: tickets.projectSlug,
  metadata: tickets.metadata,
  resolution: tickets.resolution,
  needsReview: tickets.needsReview,
  followUpOfId: tickets.followUpOfId,
  requesterVerified: tickets.requesterVerified,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  firstResponseAt: tickets.firstResponseAt,
  resolvedAt: tickets.resolvedAt,
  closedAt: tickets.closedAt,
  firstResponseS: tickets.firstResponseS,
  resolutionS: tickets.resolutionS,
};

/**
 * The same columns without a join: the assignee's name and e-mail come from correlated
 * subqueries, evaluated only for the rows a LIMIT keeps (list queries).
 */
export const ticketColumnsNoJoin = {
  ...ticketColumns,
  assigneeName: sql<string | null>`(SELECT u.name FROM users u WHERE u.id = ${tickets.assigneeId})`,
  assigneeEmail: sql<string | null>`(SELECT u.email FROM users u WHERE u.id = ${tickets.assigneeId})`,
};

/** Parse `T-123` to its numeric id; null when the key is malformed. */
export function ticketIdFromKey(key: string): number | null {
  const m = /^T-([1-9][0-9]{0,15})$/.exec(key);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Load one ticket row by key, optionally locking it (`FOR UPDATE OF tickets`) inside a
 * transaction. Returns null when absent or the key is malformed.
 */
export async function findTicketRow(db: DbOrTx, key: string, opts: { forUpdate?: boolean } = {}): Promise<TicketRow | null> {
  const id = ticketIdFromKey(key);
  if (id === null) return null;
  const q = db
    .select(ticketColumns)
    .from(tickets)
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .where(eq(tickets.id, id))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for("update", { of: tickets }) : await q;
  return (row as TicketRow | undefined) ?? null;
}
