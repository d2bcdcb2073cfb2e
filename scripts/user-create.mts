/**
 * Create (or update the password/role of) a user on the configured database.
 *   SWITCHBOARD_PASSWORD='…' npm run user:create -- --email ops@corp.com --name "Ops Admin" --role admin
 * The password comes from the SWITCHBOARD_PASSWORD environment variable (never a flag, so it
 * stays out of shell history and process lists). On the embedded default run it while the app is stopped.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { closeDb, getDb } from "@/db/client";
import { ROLES, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { seedReferenceData } from "@/db/seed";

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "agent" }, team: { type: "string" } },
});
const Args = z.object({
  email: z.string().trim().toLowerCase().email(),
  name: z.string().trim().min(1).max(120),
  role: z.enum(ROLES),
  team: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional(),
  password: z.string().min(12, "SWITCHBOARD_PASSWORD must have at least 12 characters"),
});
const parsed = Args.safeParse({ ...values, password: process.env.SWITCHBOARD_PASSWORD ?? "" });
if (!parsed.success) {
  console.error(`user:create: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  process.exit(2);
}
try {
  const db = await getDb();
  await seedReferenceData(db);
  const a = parsed.data;
  const passwordHash = await hashPassword(a.password);
  const [u] = await db
    .insert(users)
    .values({ email: a.email, name: a.name, role: a.role, teamSlug: a.team ?? null, passwordHash })
    .onConflictDoUpdate({ target: users.email, set: { name: a.name, role: a.role, teamSlug: a.team ?? null, passwordHash, active: sql`true` } })
    .returning({ id: users.id });
  console.log(`User ${a.email} (${a.role}) ready, id ${u.id}`);
} catch (err) {
  console.error(`user:create: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
