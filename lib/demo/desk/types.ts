import type { Priority } from "@/db/schema";
import type { SEED_CATEGORIES } from "@/db/seed";

/** A seeded category slug (db/seed.ts SEED_CATEGORIES). */
export type DemoCategory = (typeof SEED_CATEGORIES)[number]["slug"];

/**
 * One step of a demo ticket's conversation, in order, as `"<kind>:<text>"`:
 * - `a:` the assignee's public reply (the first one is the first response; a reply ending in
 *   `?` puts the ticket in `waiting` on the requester, any other moves it to `in_progress`);
 * - `w:` the assignee's public reply after which the ticket waits on a third party (vendor, courier…);
 * - `r:` the requester's reply (on a waiting ticket it reopens work: `open`; after a resolution
 *   it reopens the ticket);
 * - `n:` an internal note by the assignee (no status change);
 * - `f:` the resolution, written by the assignee: the ticket is resolved.
 * `{first}` in a text is replaced by the requester's first name. The seed plays the steps whose
 * time has come (a ticket filed an hour ago may have none yet), so recent tickets are in flight.
 */
export type DemoStep = `${"a" | "w" | "r" | "n" | "f"}:${string}`;

/** A hand-written demo ticket. */
export interface DemoTicket {
  /** Title; unique across the demo desk. */
  t: string;
  /** Description as the requester wrote it (2–6 sentences). */
  d: string;
  c: DemoCategory;
  /** Default P3. */
  p?: Priority;
  /** Requester id (lib/demo/desk/people.ts); default: picked deterministically. */
  by?: string;
  flow: DemoStep[];
}
