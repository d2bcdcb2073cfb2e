import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { rerankSummary } from "./auto-assign";
import type { AssignmentInfo } from "./reason";
import type { RerankOutcome } from "./rerank";

/**
 * The newest automatic assignment of a ticket (a ticket_assignments row written by
 * {@link autoAssign}: details.mode auto or round_robin), for the ticket page; null when the
 * ticket was never auto-assigned or an agent assigned or re-routed it since.
 */
export async function latestAutoAssignment(db: DbOrTx, ticketId: number): Promise<AssignmentInfo | null> {
  const [r] = await rows<{
    mode: string | null;
    reason: string;
    at: string;
    name: string | null;
    assignee_id: string | null;
    current_assignee: string | null;
    rerank: RerankOutcome | string | null;
  }>(
    db,
    sql`SELECT a.details->>'mode' AS mode, a.reason, a.assigned_at::text AS at, u.name, a.assignee_id::text AS assignee_id,
          t.assignee_id::text AS current_assignee, a.details->'rerank' AS rerank
        FROM ticket_assignments a JOIN tickets t ON t.id = a.ticket_id LEFT JOIN users u ON u.id = a.assignee_id
        WHERE a.ticket_id = ${ticketId}
        ORDER BY a.assigned_at DESC, a.id DESC LIMIT 1`,
  );
  if (!r || (r.mode !== "auto" && r.mode !== "round_robin")) return null;
  const rerank = typeof r.rerank === "string" ? (JSON.parse(r.rerank) as RerankOutcome | null) : r.rerank;
  return {
    mode: r.mode,
    assigneeName: r.assignee_id ? (r.name ?? "a former agent") : null,
    reason: r.reason,
    at: r.at,
    current: r.assignee_id === r.current_assignee,
    rerank: rerankSummary(rerank),
  };
}
