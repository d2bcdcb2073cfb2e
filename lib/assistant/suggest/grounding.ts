import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { assertCanRead } from "@/lib/tickets/access";

/*
 * Grounding check of an LLM suggestion: a ticket key it cites counts only if the ticket
 * exists, the agent may see it (lib/tickets/access.ts), and it was in what the LLM was given
 * (the retrieved tickets, the ticket itself, or keys written in its thread). Anything else is
 * dropped, with the sentences that mention it.
 */

const KEY = /\bT-\d{1,12}\b/gi;

/** Ticket keys written in a text, upper-cased, unique, in order of appearance. */
export function keysIn(text: string): string[] {
  return [...new Set((text.match(KEY) ?? []).map((k) => k.toUpperCase()))];
}

/**
 * Split `cited` into keys that pass the check and keys to drop.
 * @param context the keys the LLM was given.
 */
export async function checkCitations(
  db: DbOrTx,
  principal: Principal,
  cited: readonly string[],
  context: ReadonlySet<string>,
): Promise<{ valid: Set<string>; dropped: string[] }> {
  const keys = [...new Set(cited.map((k) => k.trim().toUpperCase()))];
  const inContext = keys.filter((k) => context.has(k));
  const found = inContext.length
    ? await rows<{ key: string; requester_email: string; requester_verified: boolean }>(
        db,
        sql`SELECT key, requester_email, requester_verified FROM tickets WHERE key IN (${sql.join(inContext.map((k) => sql`${k}`), sql`, `)})`,
      )
    : [];
  const valid = new Set<string>();
  for (const r of found) {
    try {
      assertCanRead(principal, { key: r.key, requesterEmail: r.requester_email, requesterVerified: r.requester_verified });
      valid.add(r.key);
    } catch {
      // not visible: dropped below
    }
  }
  return { valid, dropped: keys.filter((k) => !valid.has(k)).sort(compareKeys) };
}

/** T-2 before T-10. */
export function compareKeys(a: string, b: string): number {
  const na = Number(a.slice(2));
  const nb = Number(b.slice(2));
  return Number.isFinite(na) && Number.isFinite(nb) && na !== nb ? na - nb : a.localeCompare(b);
}

/**
 * The text without the sentences that mention any of `keys` (line breaks kept, runs of blank
 * lines collapsed). Sentences end at `.`, `!` or `?` followed by a space, or at a line end.
 */
export function removeSentencesCiting(text: string, keys: ReadonlySet<string>): string {
  if (keys.size === 0) return text;
  const lines = text.split("\n").map((line) => {
    const sentences = line.split(/(?<=[.!?])\s+/);
    const kept = sentences.filter((s) => !keysIn(s).some((k) => keys.has(k)));
    return kept.length === sentences.length ? line : kept.join(" ");
  });
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
