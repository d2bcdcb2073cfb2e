import { count, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { appSettings, businessCalendars, categories, modules, projects, slaPolicies, teams, type Priority, type SlaEscalation, type WeeklyHours } from "./schema";

/*
 * Reference data every installation needs (teams, categories with their routing, modules,
 * projects). The data layer imports only lib/env: demo users and tickets live in lib/demo/,
 * and callers that cache reference data invalidate it themselves after seeding.
 */

/** Assignment groups seeded on a fresh database. */
export const SEED_TEAMS = [
  { slug: "service-desk", name: "Service Desk", description: "First line: general requests and anything not routed elsewhere" },
  { slug: "end-user-computing", name: "End-User Computing", description: "Laptops, peripherals, printers, meeting rooms" },
  { slug: "identity-access", name: "Identity & Access", description: "Accounts, passwords, permissions, admin rights" },
  { slug: "hr-operations", name: "HR Operations", description: "HR systems, timecards, leave, payroll questions" },
  { slug: "infrastructure", name: "Infrastructure & Storage", description: "Servers, shares, mailbox and disk quotas, backups" },
  { slug: "procurement", name: "Procurement", description: "Purchases, orders, licences, vendors" },
  { slug: "pmo", name: "Project Office", description: "Internal projects, project tooling and set-up" },
] as const;

/** The categories of the it-tickets dataset with their routing (category → team). */
export const SEED_CATEGORIES = [
  { slug: "hardware", name: "Hardware", teamSlug: "end-user-computing", description: "Devices, peripherals, rooms, physical equipment" },
  { slug: "hr-support", name: "HR Support", teamSlug: "hr-operations", description: "HR tools, timesheets, leave, onboarding" },
  { slug: "access", name: "Access", teamSlug: "identity-access", description: "Logins, accounts, passwords, permissions to systems" },
  { slug: "miscellaneous", name: "Miscellaneous", teamSlug: "service-desk", description: "Everything else" },
  { slug: "storage", name: "Storage", teamSlug: "infrastructure", description: "Shares, quotas, mailboxes, disk space, backups" },
  { slug: "purchase", name: "Purchase", teamSlug: "procurement", description: "Buying hardware, software, licences" },
  { slug: "internal-project", name: "Internal Project", teamSlug: "pmo", description: "Internal project work and tooling" },
  { slug: "administrative-rights", name: "Administrative rights", teamSlug: "identity-access", description: "Local admin rights, elevated permissions, installations" },
] as const;

export const SEED_MODULES = [
  { slug: "workplace", name: "Workplace IT" },
  { slug: "sap-fi", name: "SAP Finance (FI/CO)" },
  { slug: "sap-mm", name: "SAP Materials Management" },
  { slug: "sap-hcm", name: "SAP Human Capital" },
  { slug: "serialization", name: "Pharma Serialization" },
];
export const SEED_PROJECTS = [
  { slug: "laptop-refresh-2026", name: "Laptop refresh 2026", moduleSlug: "workplace" },
  { slug: "s4-migration", name: "S/4HANA migration", moduleSlug: "sap-fi" },
  { slug: "dscsa-rollout", name: "DSCSA serialization roll-out", moduleSlug: "serialization" },
  { slug: "payroll-upgrade", name: "Payroll upgrade", moduleSlug: "sap-hcm" },
];

/**
 * Reference data every installation needs (teams, categories with routing, modules,
 * projects). Runs when the teams table is empty; never overwrites an admin's changes. Callers
 * holding the reference-data cache (lib/reference/cache.ts) invalidate it afterwards.
 * @returns true when it seeded.
 */
export async function seedReferenceData(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(teams);
  let seeded = false;
  if (Number(n) === 0) {
    // Instances starting together on a fresh database: one seeds under the lock, the others
    // wait for it and then find the teams (a plain check-then-insert hit duplicate keys).
    seeded = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      const [{ n: again }] = await tx.select({ n: count() }).from(teams);
      if (Number(again) > 0) return false;
      await tx.insert(teams).values([...SEED_TEAMS]);
      await tx.insert(categories).values([...SEED_CATEGORIES]);
      await tx.insert(modules).values(SEED_MODULES);
      await tx.insert(projects).values(SEED_PROJECTS);
      return true;
    });
  }
  await seedSlaDefaults(db);
  return seeded;
}

/** Advisory lock key serialising the reference-data seed across instances (db/client.ts migrations use 7305200001, lib/jobs/worker.ts 7305200002). */
const SEED_LOCK_KEY = 7305200010;

/** Name of the 24×7 calendar seeded on a fresh install. */
export const CALENDAR_24X7 = "24×7";
/** Name of the Monday–Friday 9–17 calendar seeded on a fresh install (in SLA_TIME_ZONE). */
export const CALENDAR_BUSINESS_HOURS = "Business hours";

const NINE_TO_FIVE: Array<[number, number]> = [[9 * 60, 17 * 60]];
/** Monday–Friday 9:00–17:00 (ISO weekdays 1–5). */
export const WEEKDAYS_9_TO_5: WeeklyHours = { "1": NINE_TO_FIVE, "2": NINE_TO_FIVE, "3": NINE_TO_FIVE, "4": NINE_TO_FIVE, "5": NINE_TO_FIVE };

const MIN = 60;
const HOUR = 3600;
/** A business day of the 9–17 calendar, in business seconds. */
const BDAY = 8 * HOUR;

/**
 * The default SLA policy per priority (docs/SLA.md, "Default policies"), targets in business
 * seconds on the named calendar. Admins change them at /admin/sla.
 */
export const DEFAULT_SLA_POLICIES: ReadonlyArray<{
  name: string;
  priority: Priority;
  calendar: typeof CALENDAR_24X7 | typeof CALENDAR_BUSINESS_HOURS;
  firstResponseS: number;
  resolutionS: number;
  nextResponseS: number | null;
  escalation: SlaEscalation;
}> = [
  { name: "P1 critical", priority: "P1", calendar: CALENDAR_24X7, firstResponseS: 15 * MIN, resolutionS: 4 * HOUR, nextResponseS: 1 * HOUR, escalation: { reassignTo: "lead" } },
  { name: "P2 high", priority: "P2", calendar: CALENDAR_BUSINESS_HOURS, firstResponseS: 1 * HOUR, resolutionS: 1 * BDAY, nextResponseS: 4 * HOUR, escalation: { raisePriority: true } },
  { name: "P3 medium", priority: "P3", calendar: CALENDAR_BUSINESS_HOURS, firstResponseS: 4 * HOUR, resolutionS: 3 * BDAY, nextResponseS: 1 * BDAY, escalation: {} },
  { name: "P4 low", priority: "P4", calendar: CALENDAR_BUSINESS_HOURS, firstResponseS: 1 * BDAY, resolutionS: 5 * BDAY, nextResponseS: 2 * BDAY, escalation: {} },
];

/** app_settings key set once the default SLA calendars and policies were created. */
export const SLA_DEFAULTS_SETTING_KEY = "sla_defaults_seeded";

/** The install's time zone for the default calendar: SLA_TIME_ZONE, else the server's, else UTC. */
export function installTimeZone(): string {
  const fromEnv = process.env.SLA_TIME_ZONE?.trim();
  if (fromEnv) return fromEnv;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * Create the default calendars (24×7; Monday–Friday 9–17 in {@link installTimeZone}) and one
 * policy per priority ({@link DEFAULT_SLA_POLICIES}), once per database: an app_settings mark
 * keeps an admin's later deletions deleted. Safe when two instances start together (the mark
 * is inserted first, in the same transaction, and only the winner seeds).
 * @returns true when it seeded.
 */
export async function seedSlaDefaults(db: Db, timeZone: string = installTimeZone()): Promise<boolean> {
  const [done] = await db.select({ key: appSettings.key }).from(appSettings).where(eq(appSettings.key, SLA_DEFAULTS_SETTING_KEY)).limit(1);
  if (done) return false;
  return db.transaction(async (tx) => {
    const won = await tx
      .insert(appSettings)
      .values({ key: SLA_DEFAULTS_SETTING_KEY, value: true })
      .onConflictDoNothing()
      .returning({ key: appSettings.key });
    if (won.length === 0) return false;
    const cals = await tx
      .insert(businessCalendars)
      .values([
        { name: CALENDAR_24X7, timeZone, alwaysOpen: true, hours: {} },
        { name: CALENDAR_BUSINESS_HOURS, timeZone, alwaysOpen: false, hours: WEEKDAYS_9_TO_5 },
      ])
      .onConflictDoNothing()
      .returning({ id: businessCalendars.id, name: businessCalendars.name });
    const byName = new Map(cals.map((c) => [c.name, c.id]));
    const rows = DEFAULT_SLA_POLICIES.filter((p) => byName.has(p.calendar)).map((p) => ({
      name: p.name,
      priority: p.priority,
      calendarId: byName.get(p.calendar)!,
      firstResponseS: p.firstResponseS,
      resolutionS: p.resolutionS,
      nextResponseS: p.nextResponseS,
      escalation: p.escalation,
    }));
    if (rows.length) await tx.insert(slaPolicies).values(rows).onConflictDoNothing();
    return true;
  });
}
