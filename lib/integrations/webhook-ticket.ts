import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { externalTargets, type Priority } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { normalizeHeader } from "@/lib/files/sheets/header";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData, type ReferenceData } from "@/lib/reference/cache";
import { DEPARTMENT_ALIASES } from "@/lib/routing/employees/teams";
import { createTicket } from "@/lib/tickets/create-ticket";
import { MetadataSchema } from "@/lib/tickets/schemas";
import { mapWebhookSource, type WebhookTicketAnswer, type WebhookTicketInput } from "./webhook-ticket-schema";

/** The general queue that takes tickets the triage is unsure of (seed 001's fallback). */
export const FALLBACK_TEAM = "service-desk";

/** The note in `error_message` when low confidence sent a ticket to the general queue. */
export function fallbackNote(teamName: string, confidence: number): string {
  return `Low triage confidence (${confidence.toFixed(2)}): routed to the general ${teamName} queue for review`;
}

/** "Identity & Access", "identity and access" and "IDENTITY-ACCESS" compare equal (as employee sheets do). */
const departmentKey = (s: string) => normalizeHeader(s.replace(/&/g, " and "));

/**
 * Resolve a department as integrations name it to a team slug: a team slug; else a team whose
 * name or slug matches ignoring case, spacing, punctuation and `&`/`and`; else a common short
 * name of a seed team (`IT` → service-desk, `HR` → hr-operations, …: DEPARTMENT_ALIASES, shared
 * with employee sheets) when that team exists. Never creates a team.
 * @throws ApiError 422 `unprocessable` listing the team slugs when nothing matches.
 */
export function resolveDepartment(ref: ReferenceData, department: string): string {
  if (ref.teamBySlug.has(department)) return department;
  const k = departmentKey(department);
  const byName = ref.teams.find((t) => departmentKey(t.name) === k || departmentKey(t.slug) === k);
  if (byName) return byName.slug;
  const alias = DEPARTMENT_ALIASES[k];
  if (alias && ref.teamBySlug.has(alias)) return alias;
  throw new ApiError("unprocessable", `Unknown department '${department}'`, {
    field: "department",
    allowed: ref.teams.map((t) => t.slug),
  });
}

/**
 * Kind of the first active push target (oldest first) of `team` whose priority threshold the
 * ticket's priority meets (P1 most urgent: a P4 threshold takes every ticket), or null.
 */
export async function routedToSystem(db: DbOrTx, team: string | null, priority: Priority): Promise<string | null> {
  if (!team) return null;
  const [r] = await rows<{ kind: string }>(
    db,
    sql`SELECT ${externalTargets.kind} AS kind FROM ${externalTargets}
      WHERE ${externalTargets.teamSlug} = ${team} AND ${externalTargets.active}
        AND ${priority}::ticket_priority <= ${externalTargets.priorityThreshold}
      ORDER BY ${externalTargets.createdAt}, ${externalTargets.id} LIMIT 1`,
  );
  return r?.kind ?? null;
}

/**
 * File a ticket from seed 001's webhook payload and build seed 001's answer.
 *
 * - `priority` words are already mapped by the schema (low → P4 … critical → P1); `source` is
 *   mapped to our channel and kept verbatim in `metadata.webhook_source`.
 * - `department` (team slug or name) wins over the triage's team.
 * - Without a department, a ticket the triage is unsure of (`needsReview`) goes to the general
 *   `service-desk` queue and `error_message` says so (`fallback: true`).
 * - `external_ticket_id` is null: pushes to Jira/Freshservice/Slack/webhooks run as jobs after
 *   the commit; GET /api/tickets/{key} shows the external ids once they are made.
 *
 * Writes through `db` (pass the caller's transaction to make it part of an idempotent request).
 * @param principal the caller: an agent/admin (API key or session), who may file for any e-mail.
 * @returns the answer and the new ticket's numeric id.
 * @throws ApiError 400 when the metadata with `webhook_source` added exceeds the limits; 422
 *   unknown department; 403 when a requester files for another e-mail (createTicket).
 */
export async function fileWebhookTicket(
  db: DbOrTx,
  input: WebhookTicketInput,
  principal: Principal,
): Promise<{ answer: WebhookTicketAnswer; ticketId: number }> {
  const ref = await getReferenceData(db);
  const team = input.department === undefined ? undefined : resolveDepartment(ref, input.department);
  const metadata = input.source === undefined ? input.metadata : { ...input.metadata, webhook_source: input.source };
  if (metadata !== undefined && !MetadataSchema.safeParse(metadata).success) {
    throw new ApiError("validation_error", "The request body is invalid", {
      issues: [{ path: "metadata", code: "custom", message: "Metadata with webhook_source added exceeds the metadata limits" }],
    });
  }
  const fallbackTeam = ref.teamBySlug.has(FALLBACK_TEAM) ? FALLBACK_TEAM : undefined;

  const { ticket, triage } = await createTicket(
    db,
    {
      title: input.title,
      description: input.description,
      email: input.email,
      priority: input.priority,
      team,
      source: input.source === undefined ? undefined : mapWebhookSource(input.source),
      metadata,
    },
    { principal, defaultSource: "api", lowConfidenceTeam: fallbackTeam },
  );

  const fallback = team === undefined && fallbackTeam !== undefined && triage.needsReview && ticket.team === fallbackTeam;
  const teamName = ticket.team ? (ref.teamBySlug.get(ticket.team)?.name ?? ticket.team) : null;
  const answer: WebhookTicketAnswer = {
    ticket_id: ticket.key,
    title: ticket.title,
    status: ticket.status,
    department: teamName,
    assigned_to: ticket.assignee?.email ?? ticket.team,
    routed_to_system: await routedToSystem(db, ticket.team, ticket.priority),
    external_ticket_id: null,
    confidence_score: Math.round(triage.confidence * 10_000) / 10_000,
    error_message: fallback ? fallbackNote(teamName ?? FALLBACK_TEAM, triage.confidence) : null,
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
    category: ticket.category,
    priority: ticket.priority,
    needs_review: ticket.needsReview,
    fallback,
    links: { self: `/api/tickets/${ticket.key}` },
  };
  // Ticket keys are T-<id> (db/schema/tickets.ts).
  return { answer, ticketId: Number(ticket.key.slice(2)) };
}
