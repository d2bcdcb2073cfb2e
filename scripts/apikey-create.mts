/**
 * Create an API key on the configured database and print it alone on the last line.
 *   npm run apikey:create -- --name n8n --role agent [--user someone@example.com] [--default-email desk@example.com]
 *     [--scopes tickets:read,tickets:write] [--expires 90|2027-06-30T00:00:00Z]
 * `--scopes`: comma-separated subset of the role's scopes (lib/auth/scopes.ts; default: all of them).
 * `--expires`: days from now, or an ISO 8601 instant in the future (default: never).
 * `--default-email`: requester e-mail for tickets the key files through the assistant (POST /api/assistant)
 * when the command names none.
 * On the embedded default (no DATABASE_URL) run it while the app is stopped: PGlite cannot be
 * shared between processes (the folder lock refuses a second process with a clear message).
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { closeDb, getDb } from "@/db/client";
import { ROLES, users } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { API_SCOPES, scopesForRole } from "@/lib/auth/scopes";
import { seedReferenceData } from "@/db/seed";

const { values } = parseArgs({
  options: {
    name: { type: "string" },
    role: { type: "string", default: "agent" },
    user: { type: "string" },
    "default-email": { type: "string" },
    scopes: { type: "string" },
    expires: { type: "string" },
  },
});
const Args = z.object({
  name: z.string({ error: "--name is required" }).trim().min(1, "--name is required").max(80),
  role: z.enum(ROLES),
  user: z.string().trim().toLowerCase().email().optional(),
  "default-email": z.string().trim().toLowerCase().email().optional(),
  scopes: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : v.split(",").map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(API_SCOPES)).min(1, "--scopes needs at least one scope").optional()),
  expires: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const at = /^\d+$/.test(v) ? new Date(Date.now() + Number(v) * 86_400_000) : new Date(v);
      if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", message: "--expires must be a number of days (>= 1) or an ISO 8601 instant in the future" });
        return z.NEVER;
      }
      return at;
    }),
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`apikey:create: ${parsed.error.issues.map((i) => `${i.path.join(".") || "args"}: ${i.message}`).join("; ")}`);
  console.error("usage: npm run apikey:create -- --name NAME --role agent|admin|requester [--user EMAIL] [--default-email EMAIL] [--scopes a,b] [--expires DAYS|ISO]");
  process.exit(2);
}
try {
  const db = await getDb();
  await seedReferenceData(db);
  let userId: string | null = null;
  if (parsed.data.user) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, parsed.data.user)).limit(1);
    if (!u) throw new Error(`No user with e-mail ${parsed.data.user}`);
    userId = u.id;
  } else if (parsed.data.role === "requester") {
    throw new Error("A requester key must act as a user: pass --user EMAIL");
  }
  // Same rule as the admin API (lib/auth/api-keys-admin.ts): a key carries only its role's scopes.
  const beyond = (parsed.data.scopes ?? []).filter((s) => !scopesForRole(parsed.data.role).includes(s));
  if (beyond.length) throw new Error(`A key with role ${parsed.data.role} cannot carry ${beyond.join(", ")} (allowed: ${scopesForRole(parsed.data.role).join(", ")})`);
  const key = await createApiKey(db, {
    name: parsed.data.name,
    role: parsed.data.role,
    userId,
    defaultEmail: parsed.data["default-email"] ?? null,
    scopes: parsed.data.scopes,
    expiresAt: parsed.data.expires ?? null,
  });
  console.log(`Created API key '${key.name}' (role ${key.role}, id ${key.id}). Store it now; it is not shown again:`);
  console.log(key.key);
} catch (err) {
  console.error(`apikey:create: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
