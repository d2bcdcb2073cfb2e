import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";

/**
 * The workspace's change marker: the id of the newest domain event. Every ticket creation,
 * change, status change and comment writes one in its own transaction (lib/jobs/events.ts), so
 * the number grows whenever a list or a view count could change, on whichever app instance
 * made the change. One primary-key lookup.
 * @returns a decimal string ("0" on an empty desk).
 */
export async function workspaceVersion(db: DbOrTx): Promise<string> {
  const [r] = await rows<{ v: string | number | null }>(db, sql`SELECT max(id)::text AS v FROM domain_events`);
  return String(r?.v ?? "0");
}
