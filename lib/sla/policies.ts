import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { slaPolicies } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
import { pickPolicy, type PolicyTicket } from "./pick-policy";

export { pickPolicy, policySpecificity, requesterDomain, type PolicyCandidate, type PolicyTicket } from "./pick-policy";

/** An SLA policy row as drizzle returns it. */
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

/**
 * The active policies of one priority (a small indexed read: the scope unique index leads
 * with `priority`).
 */
export async function activePoliciesFor(db: DbOrTx, priority: Priority): Promise<SlaPolicyRow[]> {
  return db
    .select()
    .from(slaPolicies)
    .where(and(eq(slaPolicies.priority, priority), eq(slaPolicies.active, true)));
}

/**
 * The policy that applies to a ticket ({@link pickPolicy} over the active policies of its
 * priority), or null when none matches.
 */
export async function findPolicyFor(db: DbOrTx, ticket: PolicyTicket): Promise<SlaPolicyRow | null> {
  return pickPolicy(await activePoliciesFor(db, ticket.priority), ticket);
}
