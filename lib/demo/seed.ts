import fs from "node:fs";
import { ensureRuleSet } from "@/lib/files/compliance/rule-sets";
import { PHARMA_SHIPMENT_RULE_SET } from "@/lib/files/compliance/schema";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { count, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appSettings, DESCRIPTION_MAX, tickets, users, type Priority, type Role, type Status } from "@/db/schema";
import { SEED_CATEGORIES, seedReferenceData } from "@/db/seed";
import { backfillTicketSlas, recomputeTicketSlas } from "@/lib/sla/clock-service";
import { slaNow } from "@/lib/sla/now";
import { hashPassword } from "@/lib/auth/password";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { DATASET_LABEL_TO_SLUG } from "@/lib/triage/local/labels";
import { createTicket } from "@/lib/tickets/create-ticket";
import { logger } from "@/lib/observability/logger";
import { DEMO_SETTING_KEY } from "./settings";
import { employees } from "@/db/schema";
import { readWorkbook } from "@/lib/files/sheets";
import { importEmployeeRows } from "@/lib/routing/employees/import";
import { validateEmployeeSheet } from "@/lib/routing/employees/sheet";

/*
 * Demo data for `npm run demo` (and the e2e suite) ONLY: published accounts and ~2,000 real
 * tickets. Production start-up never calls this module; it seeds reference data alone.
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


/** mulberry32 PRNG: deterministic demo data. */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Title from the first words of the pre-processed text, capitalised, ≤ 80 characters. */
export function titleFromText(text: string): string {
  const words = text.trim().split(/\s+/).slice(0, 8).join(" ");
  const t = words.length > 80 ? `${words.slice(0, 77).replace(/\s+\S*$/, "")}…` : words;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

const REPLIES = [
  "Thanks for reporting this, we are looking into it.",
  "Hi, we have picked this up and will get back to you shortly.",
  "Thank you. Could you confirm when this started and whether colleagues see the same?",
  "We are on it; a technician has been assigned.",
];
const NOTES = [
  "Checked the logs, looks like a known issue after last week's update.",
  "Waiting on the vendor; ticket reference added to the record.",
  "Same user reported something similar last month, see history.",
];
const RESOLUTIONS = [
  "Fixed and confirmed with the requester.",
  "Access granted as requested.",
  "Replaced the faulty device.",
  "Configuration corrected; the issue no longer occurs.",
  "Request completed.",
];

/** Median first response and resolution time per priority, in seconds (log-normal spread). */
const TARGETS_S: Record<Priority, { firstResponse: number; resolution: number }> = {
  P1: { firstResponse: 10 * 60, resolution: 4 * 3600 },
  P2: { firstResponse: 45 * 60, resolution: 16 * 3600 },
  P3: { firstResponse: 3 * 3600, resolution: 2.5 * 86400 },
  P4: { firstResponse: 8 * 3600, resolution: 5 * 86400 },
};

/**
 * About 2,000 real tickets from db/seed-data over the last 90 days: triaged by the real
 * pipeline (the model's prediction is stored as the triage decision; where it differs from
 * the dataset's label an agent "corrected" it), with realistic statuses, assignees, replies,
 * internal notes, first-response and resolution times. The requesters count as verified (they
 * stand for signed-in employees), so each sees their tickets under /requests. Their domain events
 * are marked dispatched: seeded history starts no background jobs (pushes, assignment, mail).
 * Skipped when tickets exist.
 * @returns number of tickets created.
 */
export async function seedDemoTickets(db: Db, opts: { limit?: number; now?: Date } = {}): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(tickets);
  if (Number(n) > 0) return 0;
  const file = path.join(process.cwd(), "db", "seed-data", "it-tickets-sample.csv");
  const sample = (parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true }) as { id: string; text: string; label: string }[]).slice(
    0,
    opts.limit ?? 2000,
  );
  const rand = prng(90210);
  const now = (opts.now ?? new Date()).getTime();
  const agents = await db.select({ id: users.id, name: users.name, teamSlug: users.teamSlug, role: users.role }).from(users);
  const staff = agents.filter((a) => a.role !== "requester");
  const requesters = ["requester@example.com", ...Array.from({ length: 40 }, (_, i) => `employee${i + 1}@example.com`)];

  // created_at spread over the last 90 days, weekdays and office hours more likely; oldest first
  const times = sample
    .map(() => {
      for (;;) {
        const t = now - rand() * 90 * 86400_000;
        const d = new Date(t);
        const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
        const hour = d.getUTCHours();
        const w = (weekend ? 0.25 : 1) * (hour >= 7 && hour <= 18 ? 1 : 0.2);
        if (rand() < w) return t;
      }
    })
    .sort((a, b) => a - b);

  let created = 0;
  const seededIds: number[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < sample.length; i++) {
      const rec = sample[i];
      const createdAt = new Date(times[i]);
      const email = requesters[Math.floor(rand() * requesters.length)];
      const { ticket, triage } = await createTicket(
        tx as unknown as Db,
        {
          title: titleFromText(rec.text),
          // One sample text is longer than the column (5,595 > 5,000 chars): truncate, or seeding aborts.
          description: (rec.text.length >= 10 ? rec.text : `${rec.text} (no details)`).slice(0, DESCRIPTION_MAX),
          email,
          source: rand() < 0.7 ? "web" : rand() < 0.5 ? "email" : "api",
        },
        { principal: null, defaultSource: "web", createdAt },
      );
      created++;
      const id = Number(ticket.key.slice(2));
      seededIds.push(id);
      const ageS = (now - times[i]) / 1000;
      const trueCategory = DATASET_LABEL_TO_SLUG[rec.label] ?? triage.category;
      const team = SEED_CATEGORIES.find((c) => c.slug === trueCategory)?.teamSlug ?? null;
      const teamAgents = staff.filter((a) => a.teamSlug === team);
      const assignee = (teamAgents.length ? teamAgents : staff)[Math.floor(rand() * (teamAgents.length || staff.length))];
      const target = TARGETS_S[ticket.priority];
      const logNormal = (median: number) => median * Math.exp((rand() + rand() + rand() - 1.5) * 1.6);

      // status by age: most old tickets are done, recent ones still in flight
      const frS = Math.max(60, logNormal(target.firstResponse));
      const resS = Math.max(frS + 300, logNormal(target.resolution));
      const responded = frS < ageS && rand() < 0.97;
      const resolved = responded && resS < ageS && rand() < 0.93;
      let status: Status = "new";
      if (resolved) status = ageS - resS > 3 * 86400 && rand() < 0.8 ? "closed" : "resolved";
      else if (responded) status = (["open", "in_progress", "in_progress", "waiting"] as const)[Math.floor(rand() * 4)];
      const reviewed = resolved || (responded && rand() < 0.6);
      const corrected = reviewed && trueCategory !== ticket.category;

      const at = (s: number) => new Date(times[i] + s * 1000).toISOString();
      const frAt = responded ? at(frS) : null;
      const resAt = resolved ? at(resS) : null;
      const closedAt = status === "closed" ? at(resS + 3 * 86400) : null;
      await tx.execute(sql`
        UPDATE tickets SET status = ${status}::ticket_status, requester_verified = true,
          waiting_reason = ${status === "waiting" ? (rand() < 0.75 ? "requester" : "third_party") : null}::waiting_reason,
          category_slug = ${corrected ? trueCategory : ticket.category},
          team_slug = ${corrected ? team : ticket.team}, assignee_id = ${responded ? assignee.id : null},
          first_response_at = ${frAt}::timestamptz, resolved_at = ${resAt}::timestamptz, closed_at = ${closedAt}::timestamptz,
          resolution = ${resolved ? RESOLUTIONS[Math.floor(rand() * RESOLUTIONS.length)] : null},
          needs_review = ${reviewed ? false : ticket.needsReview},
          updated_at = coalesce(${closedAt}::timestamptz, ${resAt}::timestamptz, ${frAt}::timestamptz, created_at)
        WHERE id = ${id}`);
      if (reviewed) {
        await tx.execute(sql`
          UPDATE triage_decisions SET reviewed_at = coalesce(${resAt}::timestamptz, ${frAt}::timestamptz),
            overridden_by = ${corrected ? "agent" : null}::triage_override_by,
            final_category = ${corrected ? trueCategory : ticket.category}, final_team = ${corrected ? team : ticket.team}
          WHERE ticket_id = ${id}`);
      }
      if (responded) {
        const events: { action: string; before: unknown; after: unknown; at: string }[] = [];
        if (corrected) {
          events.push({ action: "ticket.category_changed", before: { category: ticket.category }, after: { category: trueCategory }, at: at(frS * 0.5) });
        }
        events.push({ action: "ticket.assignee_changed", before: { assignee: null }, after: { assignee: assignee.id }, at: at(frS * 0.9) });
        events.push({ action: "comment.reply_added", before: null, after: { internal: false }, at: at(frS) });
        await tx.execute(sql`
          INSERT INTO ticket_comments (ticket_id, author_id, author_label, author_role, body, internal, created_at)
          VALUES (${id}, ${assignee.id}, ${assignee.name}, ${assignee.role}, ${REPLIES[Math.floor(rand() * REPLIES.length)]}, false, ${at(frS)}::timestamptz)`);
        if (rand() < 0.35) {
          const noteAt = at(frS + (resolved ? (resS - frS) / 2 : 600));
          await tx.execute(sql`
            INSERT INTO ticket_comments (ticket_id, author_id, author_label, author_role, body, internal, created_at)
            VALUES (${id}, ${assignee.id}, ${assignee.name}, ${assignee.role}, ${NOTES[Math.floor(rand() * NOTES.length)]}, true, ${noteAt}::timestamptz)`);
          events.push({ action: "comment.internal_note_added", before: null, after: { internal: true }, at: noteAt });
        }
        if (resAt) events.push({ action: "ticket.status_changed", before: { status: "in_progress" }, after: { status: "resolved" }, at: resAt });
        if (closedAt) events.push({ action: "ticket.status_changed", before: { status: "resolved" }, after: { status: "closed" }, at: closedAt });
        for (const e of events) {
          await tx.execute(sql`
            INSERT INTO audit_events (ticket_id, entity_type, entity_id, actor_type, actor_id, actor_label, action, before, after, at)
            VALUES (${id}, 'ticket', ${ticket.key}, 'user', ${assignee.id}, ${assignee.name}, ${e.action},
                    ${e.before === null ? null : JSON.stringify(e.before)}::jsonb, ${JSON.stringify(e.after)}::jsonb, ${e.at}::timestamptz)`);
        }
        await tx.execute(sql`
          INSERT INTO ticket_assignments (ticket_id, team_slug, assignee_id, assigned_by_id, reason, assigned_at)
          VALUES (${id}, ${corrected ? team : ticket.team}, ${assignee.id}, ${assignee.id}, 'agent assignment', ${at(frS * 0.9)}::timestamptz)`);
      }
    }
    // The seeded tickets are history, not new work: their events cause no background jobs
    // (no pushes to team mappings, auto-assignments or mails for tickets "filed" weeks ago).
    // The event stream itself is unchanged; only the job dispatcher skips them.
    if (seededIds.length) {
      await tx.execute(sql`UPDATE domain_events SET dispatched_at = now()
        WHERE dispatched_at IS NULL AND ticket_id BETWEEN ${Math.min(...seededIds)} AND ${Math.max(...seededIds)}`);
    }
  });
  // The statuses and times above were written directly: recompute the clocks from them.
  await recomputeTicketSlas(db, seededIds, new Date(now));
  return created;
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
  const seededUsers = await seedDemoUsers(db);
  if (seededUsers) logger.info({ users: DEMO_USERS.map((u) => u.email) }, "seeded demo users");
  await ensureRuleSet(db, PHARMA_SHIPMENT_RULE_SET); // an example compliance rule set for /files
  if (opts.employees !== false) {
    const e = await seedDemoEmployees(db); // before the tickets, so assignment has skill profiles
    if (e) logger.info({ employees: e }, "seeded demo employee skill profiles from data/routing/employees.csv");
  }
  const t0 = Date.now();
  const n = await seedDemoTickets(db, { limit: opts.ticketLimit });
  if (n) logger.info({ tickets: n, ms: Date.now() - t0 }, "seeded demo tickets from db/seed-data");
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
