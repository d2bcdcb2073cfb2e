/**
 * One zod schema per employee payload, shared by the admin form (/admin/employees), its server
 * actions, the route handlers (/api/employees) and the OpenAPI document. Client-safe.
 * Values are normalised with the same parsers as the sheet import (./values.ts).
 */
import { z } from "zod";
import { SENIORITIES } from "@/db/schema/routing";
import { SlugSchema, text } from "@/lib/tickets/schemas";
import { DEFAULT_MAX_OPEN_TICKETS, parseSkills, parseTimeZone, parseWorkDays, parseWorkHours, type Parsed } from "./values";

/** A zod transform from a parser of ./values.ts: its message becomes the issue. */
function parsed<T>(parse: (s: string) => Parsed<T>) {
  return (s: string, ctx: z.RefinementCtx): T => {
    const p = parse(s);
    if (p.ok) return p.value;
    ctx.addIssue({ code: "custom", message: p.message });
    return z.NEVER;
  };
}

const fields = {
  name: () => text().trim().min(1, "Name is required").max(120).describe("Full name"),
  email: () => text().trim().toLowerCase().max(254).pipe(z.email("Enter a valid e-mail address")).describe("Work e-mail (unique; stored lower-case)"),
  team: () => SlugSchema.nullable().describe("Team (assignment group) slug; null for none"),
  department: () => text().trim().max(80).describe("Department as your organisation names it; defaults to the team's name"),
  skills: () =>
    z
      .union([z.array(text().max(200)).max(500), text().max(20_000)])
      .transform((v, ctx) => parsed(parseSkills)(typeof v === "string" ? v : v.join("\n"), ctx))
      .describe("Skills: a list, or one text split on , ; | and new lines; trimmed, lower-cased, deduplicated; at most 100 of 60 characters"),
  seniority: () => z.enum(SENIORITIES).describe("junior, mid, senior or lead"),
  maxOpenTickets: () => z.int("A whole number").min(0).max(1000).describe("Most tickets in open statuses assigned at once (0–1000)"),
  timeZone: () => text().max(64).transform(parsed(parseTimeZone)).describe("IANA time zone, e.g. Europe/Berlin"),
  workHours: () => text().max(40).transform(parsed(parseWorkHours)).describe('Working hours in local time, "09:00-17:00"'),
  workDays: () =>
    z
      .union([z.array(z.int().min(1).max(7)).min(1).max(7), text().max(80).transform(parsed(parseWorkDays))])
      .transform((d) => [...new Set(d)].sort((a, b) => a - b))
      .describe('Working days: ISO weekdays (1 = Monday) or text such as "Mon-Fri"'),
  active: () => z.boolean().describe("Inactive employees are never assigned"),
};

/** POST /api/employees and the create form (admin). */
export const CreateEmployeeSchema = z.strictObject({
  name: fields.name(),
  email: fields.email(),
  team: fields.team().optional(),
  department: fields.department().optional(),
  skills: fields.skills().default([]),
  seniority: fields.seniority().default("mid"),
  maxOpenTickets: fields.maxOpenTickets().default(DEFAULT_MAX_OPEN_TICKETS),
  timeZone: fields.timeZone().default("UTC"),
  workHours: fields.workHours().optional(),
  workDays: fields.workDays().optional(),
  active: fields.active().default(true),
});
export type CreateEmployeeInput = z.output<typeof CreateEmployeeSchema>;

/** PATCH /api/employees/{id} and the edit form (admin): any of the fields, at least one. */
export const UpdateEmployeeSchema = z
  .strictObject({
    name: fields.name().optional(),
    email: fields.email().optional(),
    team: fields.team().optional(),
    department: fields.department().optional(),
    skills: fields.skills().optional(),
    seniority: fields.seniority().optional(),
    maxOpenTickets: fields.maxOpenTickets().optional(),
    timeZone: fields.timeZone().optional(),
    workHours: fields.workHours().optional(),
    workDays: fields.workDays().optional(),
    active: fields.active().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateEmployeeInput = z.output<typeof UpdateEmployeeSchema>;

/** GET /api/employees (agents and admins). */
export const ListEmployeesQuerySchema = z.strictObject({
  team: SlugSchema.optional().describe("Only this team's employees"),
  active: z.enum(["true", "false"]).optional().describe("Only active (true) or inactive (false) employees"),
});
export type ListEmployeesQuery = z.output<typeof ListEmployeesQuerySchema>;

/** An employee as the API and the admin page show it. */
export interface EmployeeDTO {
  id: string;
  name: string;
  email: string;
  team: string | null;
  teamName: string | null;
  department: string;
  skills: string[];
  seniority: (typeof SENIORITIES)[number];
  maxOpenTickets: number;
  /** Tickets assigned to their user in a status that keeps work open (new, open, in progress; not waiting), as capacity counts them. */
  openTickets: number;
  timeZone: string;
  /** "09:00-17:00", local time. */
  workHours: string;
  /** ISO weekdays, 1 = Monday. */
  workDays: number[];
  active: boolean;
  /** The user they sign in and are assigned as; `invited` when that user has no password yet. */
  user: { id: string; role: string; invited: boolean } | null;
  sourceUploadId: string | null;
  updatedAt: string;
}

/** A department as /submit and GET /api/departments offer it. */
export interface DepartmentDTO {
  slug: string;
  name: string;
}
