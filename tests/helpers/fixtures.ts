import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { hashPassword } from "@/lib/auth/password";

export interface Actor {
  id: string;
  email: string;
  key: string;
}

/** Create a user (optionally with a password) and an API key that acts with the user's role. */
export async function makeActor(db: Db, email: string, role: Role, opts: { password?: string; teamSlug?: string } = {}): Promise<Actor> {
  const [u] = await db
    .insert(users)
    .values({
      email,
      name: email.split("@")[0],
      role,
      teamSlug: opts.teamSlug ?? null,
      passwordHash: opts.password ? await hashPassword(opts.password) : null,
    })
    .returning({ id: users.id });
  const k = await createApiKey(db, { name: `${role}-${email}`, role, userId: u.id });
  return { id: u.id, email, key: k.key };
}

/** Row counts of every table a write could touch (to prove rejected requests wrote nothing). */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const [r] = await rows<Record<string, number>>(
    db,
    sql`SELECT
      (SELECT count(*) FROM tickets)::int AS tickets,
      (SELECT count(*) FROM triage_decisions)::int AS triage_decisions,
      (SELECT count(*) FROM audit_events)::int AS audit_events,
      (SELECT count(*) FROM ticket_comments)::int AS ticket_comments,
      (SELECT count(*) FROM ticket_assignments)::int AS ticket_assignments,
      (SELECT count(*) FROM ticket_count_deltas)::int + (SELECT count(*) FROM ticket_daily_counts)::int AS rollups`,
  );
  return r;
}

/** The usual cast of the API tests: two agents in different teams and two requesters. */
export async function makeDeskActors(db: Db): Promise<{ agent: Actor; agent2: Actor; alice: Actor; bob: Actor }> {
  return {
    agent: await makeActor(db, "agent@corp.test", "agent", { teamSlug: "service-desk" }),
    agent2: await makeActor(db, "agent2@corp.test", "agent", { teamSlug: "identity-access" }),
    alice: await makeActor(db, "alice@corp.test", "requester"),
    bob: await makeActor(db, "bob@corp.test", "requester"),
  };
}
