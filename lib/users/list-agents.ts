import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type Role } from "@/db/schema";

/** An agent or admin who can be assigned tickets (assignee pickers and filters). */
export interface AgentOption {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamSlug: string | null;
}

/** Active agents and admins, by name. Small (people who work tickets), so not paginated. */
export async function listAgents(db: DbOrTx): Promise<AgentOption[]> {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, teamSlug: users.teamSlug })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ["agent", "admin"])))
    .orderBy(asc(users.name));
}
