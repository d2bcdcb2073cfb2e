import { count } from "drizzle-orm";
import type { Db } from "./client";
import { categories, modules, projects, teams } from "./schema";

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
  if (Number(n) > 0) return false;
  await db.transaction(async (tx) => {
    await tx.insert(teams).values([...SEED_TEAMS]);
    await tx.insert(categories).values([...SEED_CATEGORIES]);
    await tx.insert(modules).values(SEED_MODULES);
    await tx.insert(projects).values(SEED_PROJECTS);
  });
  return true;
}
