import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { CreateEmployeeSchema, ListEmployeesQuerySchema } from "@/lib/routing/employees/schemas";
import { createEmployee, listEmployees } from "@/lib/routing/employees/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/employees?team=<slug>&active=true|false → 200 {items: Employee[]} by name: skill
 * profiles with team, skills, seniority, openTickets / maxOpenTickets, time zone, working hours
 * and days, and the linked user. Agents and admins. Errors: 400 (bad query), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: ListEmployeesQuerySchema }, async ({ query }) => ({ items: await listEmployees(await getDb(), query) }));

/**
 * POST /api/employees (admin) — body CreateEmployeeSchema {name, email, team?, department?,
 * skills?, seniority?, maxOpenTickets?, timeZone?, workHours? "09:00-17:00", workDays?, active?}
 * → 201 Employee. The employee is linked to the user with that e-mail (a requester becomes an
 * agent) or a new agent user is invited (no password yet; invitation mail in the outbox).
 * Errors: 400 (validation), 401, 403, 409 (e-mail taken), 422 (unknown team).
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreateEmployeeSchema }, async ({ body, principal }) =>
  json(await createEmployee(await getDb(), body, principal!), 201),
);
