import fs from "node:fs";
import { seedNetworkVpnCategory } from "./network-vpn";
import { ensureRuleSet } from "@/lib/files/compliance/rule-sets";
import { PHARMA_SHIPMENT_RULE_SET } from "@/lib/files/compliance/schema";
import path from "node:path";
import { count, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appSettings, users, type Role } from "@/db/schema";
import { seedReferenceData } from "@/db/seed";
import { backfillTicketSlas } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import { hashPassword } from "@/lib/auth/password";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { seedDeskTickets } from "./desk/seed";
import { logger } from "@/lib/observability/logger";
import { DEMO_SETTING_KEY } from "./settings";
import { employees } from "@/db/schema";
import { readWorkbook } from "@/lib/files/sheets";
import { importEmployeeRows } from "@/lib/routing/employees/import";
import { validateEmployeeSheet } from "@/lib/routing/employees/sheet";

/*
 * Demo data for `npm run demo` (and the e2e suite) ONLY: published accounts and ~300
 * hand-written tickets (lib/demo/desk/). Production start-up never calls this module; it seeds reference data alone.
 */

/** Demo accounts (`npm run demo` only). The README and, on a demo install, /signin list them. */
export const DEMO_USERS: { email: string; name: string; role: Role; password: string; teamSlug?: string }[] = [
  { email: "admin@example.com", name: "Ada Admin", role: "admin", password: "admin-demo-2026" },
  { email: "agent@example.com", name: "Sam Agent", role: "agent", password: "agent-demo-2026", teamSlug: "service-desk" },
  { email: "priya@example.com", name: "Priya Nair", role: "agent", password: "agent-demo-2026", teamSlug: "end-user-computing" },
  { email: "jonas@example.com", name: "Jonas Berg", role: "agent", password: "agent-demo-2026", teamSlug: "identity-access" },
  { email: "maria@example.com", name: "Maria Lopez", role: "agent", password: "agent-demo-2026", teamSlug: "hr-operations" },
  { email: "tom@example.com", name: "Tom Okafor", role: "agent", password: "agent-demo-2026", teamSlug: "infrastructure" },
  { email: "requester@example.com", name: "Rita Requester", role: "requester", password: "requester-demo-2026" },
];

/** Demo users with bcrypt-hashed passwords; skipped when any user exists. */
export async function seedDemoUsers(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(users);
  if (Number(n) > 0) return false;
  const rowsToInsert = await Promise.all(
    DEMO_USERS.map(async (u) => ({
      email: u.email,
      name: u.name,
      role: u.role,
      teamSlug: u.teamSlug ?? null,
      passwordHash: await hashPassword(u.password),
    })),
  );
  await db.insert(users).values(rowsToInsert);
  return true;
}


/**
 * The demo desk: about 300 hand-written tickets in natural English (lib/demo/desk/) over the last
 * 90 days, with conversations, internal notes, waits, reopens, resolutions, CSAT ratings and tags;
 * most are assigned to the demo agents of their team. See lib/demo/desk/seed.ts. The labelled
 * dataset (db/seed-data, ../shared/datasets) stays for training and evaluation only.
 * Skipped when tickets exist.
 * @returns number of tickets created.
 */
export async function seedDemoTickets(db: Db, opts: { limit?: number; now?: Date } = {}): Promise<number> {
  return seedDeskTickets(db, { ...opts, preferredAgents: DEMO_USERS.filter((u) => u.role !== "requester").map((u) => u.email) });
}

/** The demo's employee skill sheet (seed 002): imported by {@link seedDemoEmployees} when the file exists. */
export const DEMO_EMPLOYEES_CSV = path.join(process.cwd(), "data", "routing", "employees.csv");

/**
 * Import the demo employee skill profiles from `file` (default data/routing/employees.csv)
 * through the same validation and import as an uploaded sheet (lib/routing/employees), as the
 * `system` actor: profiles, embeddings, team mapping, linked or invited agent users. Skipped
 * when the file is missing or any employee exists (idempotent). Demo only.
 * @returns employees created
 */
export async function seedDemoEmployees(db: Db, file: string = DEMO_EMPLOYEES_CSV): Promise<number> {
  if (!fs.existsSync(file)) return 0;
  const [{ n }] = await db.select({ n: count() }).from(employees);
  if (Number(n) > 0) return 0;
  const sheet = validateEmployeeSheet(await readWorkbook(new Uint8Array(fs.readFileSync(file)), { filename: path.basename(file) }));
  if (sheet.findings.length > 0) logger.warn({ file, findings: sheet.findings.slice(0, 5) }, "demo employee sheet has invalid rows; they were skipped");
  const r = await importEmployeeRows(db, sheet.records, { uploadId: null, actor: { actorType: "system", actorId: null, actorLabel: "demo seed" } });
  if (r.newTeams.length > 0) invalidateReferenceData();
  return r.created;
}

/**
 * Seed a database for a demo: reference data, the demo users (when no user exists) and the demo
 * tickets (when no ticket exists), the example compliance rule set and (unless `employees` is
 * false) the employee skill profiles of data/routing/employees.csv, then mark the install as a
 * demo. Idempotent.
 * @returns what was created.
 */
export async function seedDemo(db: Db, opts: { ticketLimit?: number; employees?: boolean } = {}): Promise<{ users: boolean; tickets: number }> {
  if (await seedReferenceData(db)) {
    invalidateReferenceData();
    logger.info("seeded reference data (teams, categories, modules, projects)");
  }
  if (await seedNetworkVpnCategory(db)) logger.info("seeded the demo category Network & VPN with its example tickets (lib/demo/network-vpn.ts)");
  const seededUsers = await seedDemoUsers(db);
  if (seededUsers) logger.info({ users: DEMO_USERS.map((u) => u.email) }, "seeded demo users");
  await ensureRuleSet(db, PHARMA_SHIPMENT_RULE_SET); // an example compliance rule set for /files
  if (opts.employees !== false) {
    const e = await seedDemoEmployees(db); // before the tickets, so assignment has skill profiles
    if (e) logger.info({ employees: e }, "seeded demo employee skill profiles from data/routing/employees.csv");
  }
  const t0 = Date.now();
  const n = await seedDemoTickets(db, { limit: opts.ticketLimit });
  if (n) logger.info({ tickets: n, ms: Date.now() - t0 }, "seeded the demo desk tickets (lib/demo/desk)");
  await backfillTicketSlas(db, await slaNow(db)); // open tickets from before (an older demo) get clocks too
  if (seededUsers) {
    await db
      .insert(appSettings)
      .values({ key: DEMO_SETTING_KEY, value: true })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: true, updatedAt: sql`now()` } });
  }
  return { users: seededUsers, tickets: n };
}

/**
 * Start-up bootstrap kept for callers that decide themselves: reference data always, demo data
 * only when `demo` is true. Production start passes nothing here: it calls
 * `seedReferenceData` (db/seed.ts) alone, and `npm run demo` seeds through scripts/demo-seed.mts.
 */
export async function bootstrapDatabase(db: Db, opts: { demo: boolean }): Promise<void> {
  if (opts.demo) {
    await seedDemo(db);
    return;
  }
  if (await seedReferenceData(db)) {
    invalidateReferenceData();
    logger.info("seeded reference data (teams, categories, modules, projects)");
  }
}
