import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import type { Role } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { getEvent } from "@/lib/jobs/events";
import type { JobHandler } from "@/lib/jobs/registry";
import { runEventJob } from "@/lib/jobs/run-job";
import { makeActor } from "../helpers/fixtures";

/** Shared set-up of tests/mail/notify*.test.ts: people as principals, running handlers over new events, reading the outbox. */

export interface Person {
  id: string;
  email: string;
  principal: Principal;
}

/** A user of `role` (optionally in a team) and their session principal. */
export async function person(db: Db, email: string, role: Role, teamSlug?: string): Promise<Person> {
  const a = await makeActor(db, email, role, { teamSlug });
  return { id: a.id, email, principal: { kind: "user", id: a.id, userId: a.id, role, email, label: email.split("@")[0] } };
}

/**
 * Run `handlers` (as the job runner does: receipt + transaction) for every event after
 * `afterId` that their filter accepts, in order; returns the highest event id seen.
 */
export async function runHandlers(db: Db, handlers: readonly JobHandler[], afterId: number): Promise<number> {
  const ids = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM domain_events WHERE id > ${afterId} ORDER BY id`);
  let last = afterId;
  for (const { id } of ids) {
    const e = (await getEvent(db, Number(id)))!;
    for (const h of handlers) if (h.events.includes(e.type) && (!h.filter || h.filter(e))) await runEventJob(db, h, { eventId: e.id });
    last = Number(id);
  }
  return last;
}

/** The newest domain event id (0 when none). */
export async function lastEventId(db: Db): Promise<number> {
  const [r] = await rows<{ id: number | null }>(db, sql`SELECT max(id)::float8 AS id FROM domain_events`);
  return Number(r.id ?? 0);
}

export interface OutboxRow extends Record<string, unknown> {
  id: number;
  handler: string;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  event_id: number | null;
  status: string;
}

/** Outbox rows of a ticket (optionally of one handler), oldest first. */
export function outbox(db: Db, ticketId: number, handler?: string): Promise<OutboxRow[]> {
  return rows<OutboxRow>(
    db,
    sql`SELECT id::float8 AS id, handler, kind, to_address, subject, text_body, html_body, event_id::float8 AS event_id, status
          FROM mail_outbox WHERE ticket_id = ${ticketId}${handler ? sql` AND handler = ${handler}` : sql``} ORDER BY id`,
  );
}

/** Numeric id of a ticket key (`T-12` → 12). */
export const idOf = (key: string) => Number(key.slice(2));
