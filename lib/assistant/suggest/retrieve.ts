import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import type { TicketDTO } from "@/lib/tickets/dto";
import { ACTIVE_STATUSES } from "@/lib/tickets/status";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { findSimilarTickets } from "@/lib/triage/similar";
import { nameFromEmail } from "./templates";
import type { SimilarResolvedTicket } from "./types";

/** An open ticket that looks like the same request. */
export interface DuplicateCandidate {
  key: string;
  title: string;
  status: string;
  similarity: number;
  sameRequester: boolean;
  /** ISO 8601. */
  createdAt: string;
}

/** Similar resolved tickets shown (and given to the LLM). */
export const SIMILAR_RESOLVED_LIMIT = 3;
/** Cosine at or above which an open ticket counts as a near-duplicate. */
export const DUPLICATE_SIMILARITY = 0.85;
/** A near-duplicate from another requester must be filed within this many days of the ticket. */
export const DUPLICATE_WINDOW_DAYS = 14;

const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const keyList = (keys: string[]) => sql.join(keys.map((k) => sql`${k}`), sql`, `);

/**
 * Similar RESOLVED/CLOSED tickets with a non-empty resolution (most similar first, up to
 * {@link SIMILAR_RESOLVED_LIMIT}) and near-duplicate open tickets (cosine ≥
 * {@link DUPLICATE_SIMILARITY}, same requester or filed within {@link DUPLICATE_WINDOW_DAYS} days),
 * as `principal` may see them (lib/triage/similar.ts).
 */
export async function retrieveForTicket(
  db: DbOrTx,
  ticket: TicketDTO,
  principal: Principal,
): Promise<{ similar: SimilarResolvedTicket[]; duplicates: DuplicateCandidate[] }> {
  const text = normalizeTicketText({ title: ticket.title, description: ticket.description });
  const [resolved, open] = await Promise.all([
    findSimilarTickets(db, text, principal, { limit: SIMILAR_RESOLVED_LIMIT, excludeKey: ticket.key, statuses: ["resolved", "closed"], withResolution: true }),
    findSimilarTickets(db, text, principal, { limit: 5, excludeKey: ticket.key, statuses: ACTIVE_STATUSES }),
  ]);

  let similar: SimilarResolvedTicket[] = [];
  if (resolved.length) {
    const details = await rows<{ key: string; resolution: string | null; resolved_at: Date | string | null }>(
      db,
      sql`SELECT key, resolution, coalesce(resolved_at, closed_at) AS resolved_at FROM tickets WHERE key IN (${keyList(resolved.map((r) => r.key))})`,
    );
    const byKey = new Map(details.map((d) => [d.key, d]));
    similar = resolved.map((r) => ({
      ...r,
      resolution: byKey.get(r.key)?.resolution?.trim() || null,
      resolvedAt: iso(byKey.get(r.key)?.resolved_at ?? null),
      href: `/tickets/${r.key}`,
    }));
  }

  const near = open.filter((o) => o.similarity >= DUPLICATE_SIMILARITY);
  let duplicates: DuplicateCandidate[] = [];
  if (near.length) {
    const details = await rows<{ key: string; requester_email: string; created_at: Date | string }>(
      db,
      sql`SELECT key, requester_email, created_at FROM tickets WHERE key IN (${keyList(near.map((n) => n.key))})`,
    );
    const byKey = new Map(details.map((d) => [d.key, d]));
    const created = Date.parse(ticket.createdAt);
    const windowMs = DUPLICATE_WINDOW_DAYS * 86_400_000;
    duplicates = near.flatMap((n) => {
      const d = byKey.get(n.key);
      if (!d) return [];
      const sameRequester = d.requester_email.toLowerCase() === ticket.email.toLowerCase();
      const createdAt = iso(d.created_at)!;
      if (!sameRequester && Math.abs(Date.parse(createdAt) - created) > windowMs) return [];
      return [{ ...n, sameRequester, createdAt }];
    });
  }
  return { similar, duplicates };
}

/** How to greet the requester: their name in the users table, else one made from the e-mail's local part. */
export async function requesterName(db: DbOrTx, email: string): Promise<string> {
  const [u] = await rows<{ name: string }>(db, sql`SELECT name FROM users WHERE lower(email) = lower(${email}) LIMIT 1`);
  return u?.name?.trim() || nameFromEmail(email);
}
