import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { deflections } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { ticketIdFromKey } from "@/lib/tickets/queries";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { findSimilarTickets } from "@/lib/triage/similar";
import type { DeflectionInput, DeflectionSuggestInput } from "./schemas";

/*
 * Self-service deflection on /submit (issue 12 §3): while a requester writes, show answers
 * agents gave on similar resolved tickets; "This solved my problem" is counted and no ticket
 * is filed.
 *
 * Privacy: a suggestion carries only what agents wrote or chose: the ticket key (an opaque
 * number), its category name and its `resolution`. Never the title (requesters write titles:
 * "Access for my HR case against …"), the description, comments or anyone's e-mail. A
 * resolution a requester wrote themselves (they marked the ticket solved with a note,
 * lib/portal/requester-status.ts) is not an agent's answer and is never suggested: the latest
 * `ticket.resolution_changed` audit row must be by an agent/admin (user or API key) or the
 * system, or there must be none (seeded or imported resolutions).
 */

/** Suggestions shown at most. */
export const DEFLECTION_LIMIT = 3;
/**
 * Cosine similarity a resolved ticket needs to be suggested: above the similar-tickets floor
 * (0.5), because a wrong answer shown as "maybe this helps" costs the requester time.
 */
export const DEFLECTION_MIN_SIMILARITY = 0.6;

export interface DeflectionSuggestion {
  /** The resolved ticket's key: sent back with "This solved my problem". */
  key: string;
  categoryName: string;
  /** The agent-written resolution. */
  resolution: string;
  /** Cosine similarity, 0–1. */
  similarity: number;
}

/**
 * Agent-written answers of resolved (or closed) tickets similar to the text typed so far,
 * most similar first, at most {@link DEFLECTION_LIMIT} with similarity ≥
 * {@link DEFLECTION_MIN_SIMILARITY}; tickets without a resolution, or whose resolution was
 * last written by a requester, are skipped. Writes nothing. Works for anonymous callers (the
 * route decides whether they may call it).
 */
export async function suggestDeflections(db: DbOrTx, input: DeflectionSuggestInput, principal: Principal | null): Promise<{ suggestions: DeflectionSuggestion[] }> {
  const similar = await findSimilarTickets(db, normalizeTicketText(input), principal, {
    limit: DEFLECTION_LIMIT * 3,
    statuses: ["resolved", "closed"],
    withResolution: true,
    scope: "all",
  });
  const close = similar.filter((s) => s.similarity >= DEFLECTION_MIN_SIMILARITY);
  if (close.length === 0) return { suggestions: [] };
  const ids = close.map((s) => ticketIdFromKey(s.key)).filter((id): id is number => id !== null);
  const found = await rows<{ key: string; category: string; resolution: string }>(
    db,
    sql`SELECT t.key, t.category_slug AS category, t.resolution FROM tickets t
        WHERE t.id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})
          AND btrim(coalesce(t.resolution, '')) <> ''
          AND NOT EXISTS (
            SELECT 1 FROM (
              SELECT a.actor_type::text AS actor_type, a.actor_id FROM audit_events a
              WHERE a.ticket_id = t.id AND a.action = 'ticket.resolution_changed'
              ORDER BY a.id DESC LIMIT 1
            ) last
            WHERE (last.actor_type = 'user' AND NOT EXISTS (
                     SELECT 1 FROM users u WHERE u.id::text = last.actor_id AND u.role IN ('agent', 'admin')))
               OR (last.actor_type = 'api_key' AND NOT EXISTS (
                     SELECT 1 FROM api_keys k WHERE k.id::text = last.actor_id AND k.role IN ('agent', 'admin')))
          )`,
  );
  const byKey = new Map(found.map((r) => [r.key, r]));
  const ref = await getReferenceData(db);
  const suggestions = close
    .filter((s) => byKey.has(s.key))
    .slice(0, DEFLECTION_LIMIT)
    .map((s) => {
      const r = byKey.get(s.key)!;
      return { key: s.key, categoryName: ref.categoryBySlug.get(r.category)?.name ?? r.category, resolution: r.resolution, similarity: s.similarity };
    });
  return { suggestions };
}

/**
 * Count a deflection: the requester said the suggested ticket's answer solved their problem
 * (a `deflections` row with their e-mail when signed in, else none). The ticket must be a
 * resolved or closed ticket with a resolution (what the suggestions offer).
 * @throws ApiError 404 when there is no such resolved ticket with a resolution.
 */
export async function recordDeflection(db: DbOrTx, input: DeflectionInput, principal: Principal | null): Promise<{ recorded: true }> {
  const id = ticketIdFromKey(input.ticketKey);
  const [t] =
    id === null
      ? []
      : await rows<{ id: number }>(
          db,
          sql`SELECT id::float8 AS id FROM tickets
              WHERE id = ${id} AND status IN ('resolved', 'closed') AND btrim(coalesce(resolution, '')) <> ''`,
        );
  if (!t) throw new ApiError("not_found", `No resolved ticket ${input.ticketKey} to count`);
  await db.insert(deflections).values({ ticketId: Number(t.id), requesterEmail: principal?.email ?? null });
  return { recorded: true };
}
