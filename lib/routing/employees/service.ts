import "server-only";
import { and, asc, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, employees, teams, tickets, users } from "@/db/schema";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { OPEN_WORK_STATUSES } from "@/lib/routing/assign/rank";
import { lockEmployees } from "./import";
import { saveEmployee, type EmployeeValues } from "./save";
import type { CreateEmployeeInput, DepartmentDTO, EmployeeDTO, ListEmployeesQuery, UpdateEmployeeInput } from "./schemas";
import { teamExists } from "./teams";
import { formatClock } from "./values";

type EmployeeRow = typeof employees.$inferSelect;

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can change employees");
}

/** Columns of an employee that its audit events record. */
function auditView(e: EmployeeRow): Record<string, unknown> {
  return {
    email: e.email, name: e.name, team: e.teamSlug, department: e.department, skills: e.skills, seniority: e.seniority,
    maxOpenTickets: e.maxOpenTickets, timeZone: e.timeZone, workStartMin: e.workStartMin, workEndMin: e.workEndMin,
    workDays: e.workDays, active: e.active, userId: e.userId,
  };
}

/** Form/API input → column values (only the fields given). Department defaults to the team's name. */
async function valuesOf(db: DbOrTx, input: Partial<CreateEmployeeInput>): Promise<EmployeeValues & { email?: string }> {
  const v: Partial<EmployeeValues> = {};
  if (input.name !== undefined) v.name = input.name;
  if (input.email !== undefined) v.email = input.email;
  if (input.team !== undefined) {
    if (input.team !== null && !(await teamExists(db, input.team))) throw new ApiError("unprocessable", `Unknown team '${input.team}'`, { field: "team" });
    v.teamSlug = input.team;
    if (input.department === undefined) {
      const [t] = input.team ? await db.select({ name: teams.name }).from(teams).where(eq(teams.slug, input.team)).limit(1) : [];
      v.department = t?.name ?? "";
    }
  }
  if (input.department !== undefined) v.department = input.department;
  if (input.skills !== undefined) v.skills = input.skills;
  if (input.seniority !== undefined) v.seniority = input.seniority;
  if (input.maxOpenTickets !== undefined) v.maxOpenTickets = input.maxOpenTickets;
  if (input.timeZone !== undefined) v.timeZone = input.timeZone;
  if (input.workHours !== undefined) {
    v.workStartMin = input.workHours.startMin;
    v.workEndMin = input.workHours.endMin;
  }
  if (input.workDays !== undefined) v.workDays = input.workDays;
  if (input.active !== undefined) v.active = input.active;
  return v as EmployeeValues;
}

/**
 * Create an employee (admins): linked to the user with that e-mail, or a new invited agent.
 * @throws ApiError 403, 409 (e-mail taken by another employee), 422 unknown team.
 */
export async function createEmployee(db: DbOrTx, input: CreateEmployeeInput, principal: Principal): Promise<EmployeeDTO> {
  assertAdmin(principal);
  const id = await db.transaction(async (tx) => {
    await lockEmployees(tx);
    const [taken] = await tx.select({ id: employees.id }).from(employees).where(eq(employees.email, input.email)).limit(1);
    if (taken) throw new ApiError("conflict", `An employee with the e-mail ${input.email} already exists`, { field: "email" });
    const { row } = await saveEmployee(tx, { ...(await valuesOf(tx, input)), email: input.email, name: input.name }, null);
    await tx.insert(auditEvents).values({ entityType: "employee", entityId: row.id, ...actorOf(principal), action: "employee.created", before: null, after: auditView(row) });
    return row.id;
  });
  return getEmployee(db, id);
}

/**
 * Change an employee (admins): any field; the embedding is recomputed and the user link
 * re-checked (a changed e-mail links the user with the new address when there is one).
 * @throws ApiError 403, 404, 409 (e-mail taken by another employee), 422 unknown team.
 */
export async function updateEmployee(db: DbOrTx, id: string, input: UpdateEmployeeInput, principal: Principal): Promise<EmployeeDTO> {
  assertAdmin(principal);
  await db.transaction(async (tx) => {
    await lockEmployees(tx);
    const [before] = await tx.select().from(employees).where(eq(employees.id, id)).for("update").limit(1);
    if (!before) throw new ApiError("not_found", "Employee not found");
    if (input.email !== undefined && input.email !== before.email) {
      const [taken] = await tx.select({ id: employees.id }).from(employees).where(eq(employees.email, input.email)).limit(1);
      if (taken) throw new ApiError("conflict", `An employee with the e-mail ${input.email} already exists`, { field: "email" });
    }
    const { row } = await saveEmployee(tx, await valuesOf(tx, input), before);
    await tx.insert(auditEvents).values({ entityType: "employee", entityId: id, ...actorOf(principal), action: "employee.updated", before: auditView(before), after: auditView(row) });
  });
  return getEmployee(db, id);
}

/** Open tickets (statuses that keep work open) assigned to each of these users. */
async function openTicketCounts(db: DbOrTx, userIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (userIds.length === 0) return out;
  const r = await db
    .select({ userId: tickets.assigneeId, n: count() })
    .from(tickets)
    .where(and(inArray(tickets.assigneeId, userIds), inArray(tickets.status, [...OPEN_WORK_STATUSES])))
    .groupBy(tickets.assigneeId);
  for (const x of r) if (x.userId) out.set(x.userId, Number(x.n));
  return out;
}

/**
 * Employees by name, with their team, user and current load (caller checks the role: agents
 * and admins).
 */
export function listEmployees(db: DbOrTx, query: ListEmployeesQuery = {}): Promise<EmployeeDTO[]> {
  return queryEmployees(db, query);
}

async function queryEmployees(db: DbOrTx, query: ListEmployeesQuery & { id?: string }): Promise<EmployeeDTO[]> {
  const where = [
    query.id ? eq(employees.id, query.id) : undefined,
    query.team ? eq(employees.teamSlug, query.team) : undefined,
    query.active ? eq(employees.active, query.active === "true") : undefined,
  ].filter((x) => x !== undefined);
  const r = await db
    .select({ e: employees, teamName: teams.name, userRole: users.role, invited: sql<boolean>`${users.passwordHash} IS NULL` })
    .from(employees)
    .leftJoin(teams, eq(teams.slug, employees.teamSlug))
    .leftJoin(users, eq(users.id, employees.userId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(employees.name), asc(employees.email));
  const load = await openTicketCounts(db, r.map((x) => x.e.userId).filter((x): x is string => !!x));
  return r.map(({ e, teamName, userRole, invited }) => ({
    id: e.id,
    name: e.name,
    email: e.email,
    team: e.teamSlug,
    teamName: teamName ?? null,
    department: e.department,
    skills: e.skills,
    seniority: e.seniority,
    maxOpenTickets: e.maxOpenTickets,
    openTickets: e.userId ? (load.get(e.userId) ?? 0) : 0,
    timeZone: e.timeZone,
    workHours: `${formatClock(e.workStartMin)}-${formatClock(e.workEndMin)}`,
    workDays: e.workDays,
    active: e.active,
    user: e.userId && userRole ? { id: e.userId, role: userRole, invited: !!invited } : null,
    sourceUploadId: e.sourceUploadId,
    updatedAt: e.updatedAt.toISOString(),
  }));
}

/** One employee. @throws ApiError 404 */
export async function getEmployee(db: DbOrTx, id: string): Promise<EmployeeDTO> {
  const [dto] = await queryEmployees(db, { id });
  if (!dto) throw new ApiError("not_found", "Employee not found");
  return dto;
}

/**
 * The departments a requester may pick on /submit and GET /api/departments lists: the teams
 * with at least one active employee, or every team while no employee is active (a fresh
 * install), by name. Public data: slug and name only.
 */
export async function listDepartments(db: DbOrTx): Promise<DepartmentDTO[]> {
  const staffed = await db
    .selectDistinct({ slug: teams.slug, name: teams.name })
    .from(teams)
    .innerJoin(employees, and(eq(employees.teamSlug, teams.slug), eq(employees.active, true), isNotNull(employees.teamSlug)))
    .orderBy(asc(teams.name));
  if (staffed.length > 0) return staffed;
  return db.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name));
}
