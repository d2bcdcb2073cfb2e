import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, ticketAssignments, tickets, triageDecisions, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { actorOf, assertStaff } from "./access";
import { assertReferences } from "./create-ticket";
import { findTicketRow } from "./queries";
import type { UpdateTicketInput } from "./schemas";
import { assertTransition } from "./status";
import { transitionTicket } from "./lifecycle";
import { emitEvents } from "@/lib/jobs/events";
import { toTicketDTO, type TicketDTO } from "./dto";
import { recomputeTicketSla } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import { loadSlaDTO } from "@/lib/sla/read";

/** Ticket fields an update can change (audit actions `ticket.<field>_changed`). */
export type Field = "priority" | "category" | "team" | "assignee" | "resolution" | "needsReview";

/** Called after a committed agent correction of category/priority/team (the triage engine learns from it). */
export type CorrectionListener = (c: { ticketId: number; text: { title: string; description: string }; category: string; previousCategory: string }) => void;
// On globalThis: the production server loads this module once for route handlers and again for
// pages/start-up, and a listener registered in one copy must hear corrections made in the other.
const globalForListeners = globalThis as unknown as { __switchboardCorrectionListeners?: Set<CorrectionListener> };
const listeners = (globalForListeners.__switchboardCorrectionListeners ??= new Set<CorrectionListener>());
/** Subscribe to agents' category corrections; returns an unsubscribe function. */
export function onCategoryCorrected(fn: CorrectionListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Change a ticket's status, priority, category, team, assignee or resolution (agents only),
 * in one transaction with the row locked: each changed field writes an audit event
 * (`ticket.<field>_changed`, before/after); team or assignee changes append to the
 * assignment history; category/priority/team changes mark the triage decision as
 * overridden by an agent (a labelled correction). Changing the category re-routes to that
 * category's team unless a team is given. Resolving sets resolved_at; closing sets closed_at
 * (and resolved_at if unset); reopening clears resolved_at. A status, priority, category or
 * team change recomputes the SLA clock once, at `opts.now` (default lib/sla/now.ts slaNow).
 *
 * @returns the updated ticket (unchanged, with no audit rows, when nothing differs).
 * @throws ApiError 403 for non-agents; 404 unknown ticket; 409 invalid_transition; 422
 *   unknown category/team or an assignee who is not an active agent.
 */
export async function updateTicket(
  db: DbOrTx,
  key: string,
  patch: UpdateTicketInput,
  principal: Principal,
  opts: { now?: Date } = {},
): Promise<TicketDTO> {
  assertStaff(principal, "change tickets");
  const ref = await getReferenceData(db);
  assertReferences(ref, { category: patch.category, team: patch.team });

  let corrected: { ticketId: number; text: { title: string; description: string }; category: string; previousCategory: string } | null = null;
  const result = await db.transaction(async (tx) => {
    const row = await findTicketRow(tx, key, { forUpdate: true });
    if (!row) throw new ApiError("not_found", `Ticket ${key} not found`);

    if (patch.assignee) {
      const [u] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, patch.assignee), eq(users.active, true), inArray(users.role, ["agent", "admin"])))
        .limit(1);
      if (!u) throw new ApiError("unprocessable", "The assignee must be an active agent", { field: "assignee" });
    }

    const before: Partial<Record<Field, unknown>> = {};
    const after: Partial<Record<Field, unknown>> = {};
    const set: Partial<typeof tickets.$inferInsert> & Record<string, unknown> = {};
    const change = (field: Field, from: unknown, to: unknown) => {
      if (to === undefined || from === to) return false;
      before[field] = from;
      after[field] = to;
      return true;
    };

    // Status (and the waiting reason) go through the one lifecycle function, below.
    const targetStatus = patch.status ?? row.status;
    if (patch.waitingReason !== undefined && targetStatus !== "waiting") {
      throw new ApiError("unprocessable", "waitingReason goes with status waiting", { field: "waitingReason" });
    }
    const statusRequested =
      (patch.status !== undefined && patch.status !== row.status) ||
      (patch.waitingReason !== undefined && patch.waitingReason !== row.waitingReason);
    if (statusRequested) assertTransition(row.status, targetStatus);
    if (change("priority", row.priority, patch.priority)) set.priority = patch.priority;
    if (change("category", row.categorySlug, patch.category)) {
      set.categorySlug = patch.category;
      if (patch.team === undefined) {
        const routed = ref.teamByCategory.get(patch.category!) ?? null;
        if (change("team", row.teamSlug, routed)) set.teamSlug = routed;
      }
    }
    if (patch.team !== undefined && change("team", row.teamSlug, patch.team)) set.teamSlug = patch.team;
    if (patch.assignee !== undefined && change("assignee", row.assigneeId, patch.assignee)) set.assigneeId = patch.assignee;
    if (patch.resolution !== undefined && change("resolution", row.resolution, patch.resolution)) set.resolution = patch.resolution;
    const triageChanged = "category" in after || "priority" in after || "team" in after;

    const actor = actorOf(principal);
    const transition = statusRequested
      ? await transitionTicket(tx, row, { to: targetStatus, waitingReason: patch.waitingReason, cause: "agent", deferSla: true }, actor)
      : null;
    const finishing = transition?.changed === true && (targetStatus === "resolved" || targetStatus === "closed");
    if ((patch.needsReview === false || "category" in after || finishing) && row.needsReview) {
      change("needsReview", true, false);
      set.needsReview = false;
    }

    const fields = Object.keys(after) as Field[];
    if (fields.length === 0 && !transition?.changed) return row;

    await writeTicketChanges(tx, row, {
      set,
      before,
      after,
      actor,
      assignment: { assignedById: principal.userId, reason: "assignee" in after ? "agent assignment" : "agent re-route" },
      deferSla: true,
    });
    // One SLA recompute for the status change and the policy-relevant fields together.
    if (transition?.changed || movesSla(after)) await recomputeTicketSla(tx, row.id, opts.now ?? (await slaNow(tx)));

    // An agent resolving or closing a ticket without changing its category accepts the triage:
    // the decision counts as agent-reviewed (accuracy over the last N reviewed tickets) and the
    // ticket leaves the review queue.
    if (triageChanged || "needsReview" in after || finishing) {
      const [decision] = await tx
        .select({ id: triageDecisions.id, reviewedAt: triageDecisions.reviewedAt })
        .from(triageDecisions)
        .where(eq(triageDecisions.ticketId, row.id))
        .orderBy(desc(triageDecisions.id))
        .limit(1);
      if (decision && (triageChanged || "needsReview" in after || !decision.reviewedAt)) {
        await tx
          .update(triageDecisions)
          .set({
            ...(triageChanged ? { overriddenBy: "agent" as const } : {}),
            finalCategory: (set.categorySlug as string | undefined) ?? row.categorySlug,
            finalPriority: (set.priority as TicketDTO["priority"] | undefined) ?? row.priority,
            finalTeam: "team" in after ? ((after.team as string | null) ?? null) : row.teamSlug,
            reviewedAt: sql`now()` as never,
          })
          .where(eq(triageDecisions.id, decision.id));
      }
    }
    if ("category" in after) {
      corrected = {
        ticketId: row.id,
        text: { title: row.title, description: row.description },
        category: after.category as string,
        previousCategory: row.categorySlug,
      };
    }

    const updated = await findTicketRow(tx, key);
    return updated!;
  });
  if (corrected) for (const fn of listeners) fn(corrected);
  return toTicketDTO(result, await loadSlaDTO(db, result.id, opts.now ?? (await slaNow(db))));
}

/** Who made a change, as audit_events and domain events record it (`system` for automations). */
export interface ChangeActor {
  actorType: "user" | "api_key" | "system";
  actorId: string | null;
  actorLabel: string;
}

/**
 * Write field changes of a ticket the caller has locked, in the caller's transaction: the
 * UPDATE (with updated_at), one `ticket.updated` domain event `{key, changes: {field: {from, to}}}`,
 * one audit event per field (`ticket.<field>_changed`, before/after) and, when the team or the
 * assignee changed, a ticket_assignments history row (`assignment.reason`, ≤ 200 chars, and
 * optional `details`). Shared by agent updates and auto-assignment (lib/routing/assign).
 * A priority, category or team change then recomputes the SLA clock (unless `deferSla`).
 * Does nothing when `after` is empty.
 */
export async function writeTicketChanges(
  tx: DbOrTx,
  row: { id: number; key: string; teamSlug: string | null; assigneeId: string | null },
  c: {
    set: Partial<typeof tickets.$inferInsert>;
    before: Partial<Record<Field, unknown>>;
    after: Partial<Record<Field, unknown>>;
    actor: ChangeActor;
    assignment: { assignedById: string | null; reason: string; details?: Record<string, unknown> | null };
    /** The caller recomputes the SLA clock itself (see {@link movesSla}); default: recomputed here when needed. */
    deferSla?: boolean;
  },
): Promise<void> {
  const fields = Object.keys(c.after) as Field[];
  if (fields.length === 0) return;
  await tx
    .update(tickets)
    .set({ ...c.set, updatedAt: sql`now()` as never })
    .where(eq(tickets.id, row.id));
  await emitEvents(tx, [
    {
      type: "ticket.updated",
      ticketId: row.id,
      actor: { type: c.actor.actorType, id: c.actor.actorId, label: c.actor.actorLabel },
      payload: {
        key: row.key,
        changes: Object.fromEntries(fields.map((f) => [f, { from: c.before[f] ?? null, to: c.after[f] ?? null }])),
      },
    },
  ]);
  await tx.insert(auditEvents).values(
    fields.map((f) => ({
      ticketId: row.id,
      entityType: "ticket",
      entityId: row.key,
      ...c.actor,
      action: `ticket.${f === "needsReview" ? "triage_reviewed" : `${f}_changed`}`,
      before: { [f]: c.before[f] ?? null },
      after: { [f]: c.after[f] ?? null },
    })),
  );
  if ("team" in c.after || "assignee" in c.after) {
    await tx.insert(ticketAssignments).values({
      ticketId: row.id,
      teamSlug: (c.set.teamSlug as string | null | undefined) ?? row.teamSlug,
      assigneeId: "assignee" in c.after ? ((c.set.assigneeId as string | null | undefined) ?? null) : row.assigneeId,
      assignedById: c.assignment.assignedById,
      reason: c.assignment.reason.slice(0, 200),
      details: c.assignment.details ?? null,
    });
  }
  if (!c.deferSla && movesSla(c.after)) await recomputeTicketSla(tx, row.id, await slaNow(tx));
}

/** True when a change can change the SLA policy (priority, category, team). */
export function movesSla(after: Partial<Record<Field, unknown>>): boolean {
  return "priority" in after || "category" in after || "team" in after;
}
