import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { tickets } from "@/db/schema";

/** Requesters (users) a name query may match at most. */
const MAX_PEOPLE = 20;
/** Similarity of a user's whole name to the query that counts as a match (one typo in "Jane Smith" scores ~0.57). */
const NAME_SIMILARITY = 0.5;

/** A single token of e-mail characters with an "@" or a dot: "jane.doe", "@acme.com", "doe@ac". */
const EMAIL_PART = /^[\p{L}\p{N}._%+'-]*[@.][\p{L}\p{N}._%+'@-]*$/u;

/** `q` as (part of) an e-mail address, lower-case, or null when it does not look like one (3+ characters, see {@link EMAIL_PART}). */
export function emailPart(q: string): string | null {
  const s = q.trim().toLowerCase();
  return s.length >= 3 && EMAIL_PART.test(s) && /[\p{L}\p{N}]/u.test(s) ? s : null;
}

/**
 * Tickets whose requester the query names, as a condition over `tickets` (null when none):
 * - e-mail: a query that looks like (part of) an address ({@link emailPart}) matches tickets
 *   whose requester e-mail contains it (`tickets_requester_email_trgm_idx`), account or not;
 * - name: users whose name is similar to the whole query (trigram similarity ≥ 0.5, so one
 *   typo is tolerated: "Jane Smiht") or whose name has a word close to it ("smith" in
 *   "John Smith"; pg_trgm strict word similarity ≥ 0.5) — their tickets, by e-mail
 *   (`users_name_trgm_idx`, at most 20 people, most similar first).
 */
export async function requesterCondition(db: DbOrTx, q: string): Promise<SQL | null> {
  const parts: SQL[] = [];
  const email = emailPart(q);
  if (email) {
    const pattern = `%${email.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(sql`${tickets.requesterEmail} LIKE ${pattern}`);
  }
  const name = q.replace(/["]/g, " ").replace(/\s+/g, " ").trim();
  if (!email && name.length >= 3) {
    const people = await rows<{ email: string }>(
      db,
      sql`SELECT email FROM users
          WHERE (name % ${name} AND similarity(name, ${name}) >= ${NAME_SIMILARITY}) OR ${name} <<% name
          ORDER BY greatest(similarity(name, ${name}), strict_word_similarity(${name}, name)) DESC, email
          LIMIT ${MAX_PEOPLE}`,
    );
    if (people.length > 0) parts.push(inArray(tickets.requesterEmail, people.map((p) => p.email)));
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}
