/**
 * Create (or update the password/role of) a user on the configured database; updating a user
 * ends their sessions. This is also how a fresh production install gets its first admin (the
 * other way is the /setup link the server logs while no admin exists).
 *   SWITCHBOARD_PASSWORD='…' npm run user:create -- --email ops@corp.com --name "Ops Admin" --role admin
 * The password comes from the SWITCHBOARD_PASSWORD environment variable (never a flag, so it
 * stays out of shell history and process lists). On the embedded default run it while the app is stopped.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { closeDb, getDb } from "@/db/client";
import { ROLES } from "@/db/schema";
import { seedReferenceData } from "@/db/seed";
import { upsertUserWithPassword } from "@/lib/users/session-version";

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
  // An existing user is updated (and signed out everywhere: their session version is bumped).
  const u = await upsertUserWithPassword(db, { email: a.email, name: a.name, role: a.role, teamSlug: a.team ?? null, password: a.password });
  console.log(`User ${a.email} (${a.role}) ready, id ${u.id}`);
} catch (err) {
  console.error(`user:create: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
