import "server-only";
import { inArray } from "drizzle-orm";
import { queryPrepared, type DbOrTx } from "@/db/client";
import { auditEvents, employees } from "@/db/schema";
import type { AuditActor } from "@/lib/tickets/access";
import { saveEmployee, type EmployeeValues } from "./save";
import type { EmployeeSheetRecord } from "./sheet";
import { teamResolver } from "./teams";

/** What an import did; stored (with the sheet's counts) as the upload's summary. */
export interface EmployeeImportResult {
  created: number;
  updated: number;
  /** Teams created for departments that matched no team. */
  newTeams: { slug: string; name: string }[];
  /** Users created without a password (an invitation mail each). */
  invitedUsers: number;
  /** Existing users linked (requesters among them promoted to agent). */
  linkedUsers: number;
  promotedUsers: number;
}

/** Who an import acts as in the audit trail: the uploader, or `system` (the demo seed). */
export type ImportActor = Omit<AuditActor, "actorType"> & { actorType: AuditActor["actorType"] | "system" };

/** Rows per `SELECT … WHERE email IN (…)`. */
const LOOKUP_BATCH = 1000;

/** Serialises employee imports and edits (transaction-scoped advisory lock). */
export async function lockEmployees(db: DbOrTx): Promise<void> {
  await queryPrepared(db, "SELECT pg_advisory_xact_lock(7305200801)", []);
}

/**
 * Import validated sheet rows (lib/routing/employees/sheet.ts) in ONE transaction: upsert by
 * e-mail (a re-upload updates, never duplicates; columns the sheet lacks keep their stored
 * values), set `source_upload_id`, compute each profile's embedding, map the team/department
 * text to a team (lib/routing/employees/teams.ts; unknown ones are created and listed in
 * `newTeams`), link each employee to a user (lib/routing/employees/save.ts: existing user by
 * e-mail, else an invited agent with an invitation mail in the outbox) and write one audit
 * event `employees.imported`. When `db` is already a transaction, this runs in a savepoint.
 *
 * The caller invalidates the reference-data cache after commit when `newTeams` is not empty.
 */
export async function importEmployeeRows(
  db: DbOrTx,
  records: readonly EmployeeSheetRecord[],
  opts: { uploadId: string | null; actor: ImportActor },
): Promise<EmployeeImportResult> {
  return db.transaction(async (tx) => {
    await lockEmployees(tx);
    const emails = records.map((r) => r.email);
    const existing = new Map<string, typeof employees.$inferSelect>();
    for (let i = 0; i < emails.length; i += LOOKUP_BATCH) {
      const part = emails.slice(i, i + LOOKUP_BATCH);
      for (const e of await tx.select().from(employees).where(inArray(employees.email, part))) existing.set(e.email, e);
    }
    const teams = await teamResolver(tx);
    const out: EmployeeImportResult = { created: 0, updated: 0, newTeams: teams.created, invitedUsers: 0, linkedUsers: 0, promotedUsers: 0 };
    for (const r of records) {
      const values: EmployeeValues = { email: r.email, name: r.name, sourceUploadId: opts.uploadId };
      if (r.teamText !== undefined) {
        values.teamSlug = await teams.resolve(r.teamText);
        values.department = r.department ?? "";
      }
      if (r.skills !== undefined) values.skills = r.skills;
      if (r.seniority !== undefined) values.seniority = r.seniority;
      if (r.maxOpenTickets !== undefined) values.maxOpenTickets = r.maxOpenTickets;
      if (r.timeZone !== undefined) values.timeZone = r.timeZone;
      if (r.active !== undefined) values.active = r.active;
      if (r.workStartMin !== undefined) values.workStartMin = r.workStartMin;
      if (r.workEndMin !== undefined) values.workEndMin = r.workEndMin;
      if (r.workDays !== undefined) values.workDays = r.workDays;
      const saved = await saveEmployee(tx, values, existing.get(r.email) ?? null);
      existing.set(r.email, saved.row);
      if (saved.created) out.created += 1;
      else out.updated += 1;
      if (saved.user === "invited") out.invitedUsers += 1;
      else if (saved.user === "linked") out.linkedUsers += 1;
      else if (saved.user === "promoted") {
        out.linkedUsers += 1;
        out.promotedUsers += 1;
      }
    }
    await tx.insert(auditEvents).values({
      entityType: "employee_import",
      entityId: opts.uploadId ?? "direct",
      ...opts.actor,
      action: "employees.imported",
      before: null,
      after: { rows: records.length, ...out },
    });
    return out;
  });
}
