/**
 * Employee sheets (upload kind `employees`, seed 002): finding the columns by their usual
 * names and validating every row. Pure: no database; the import (import.ts) writes what this
 * returns.
 *
 * Columns (header synonyms below; case, spacing and punctuation do not matter):
 * name and e-mail are required; team or department, skills, seniority, max open tickets, time
 * zone, active, working hours and working days are optional (absent → the defaults of a new
 * employee, and an existing employee keeps their value).
 */
import { normalizeHeader } from "@/lib/files/sheets/header";
import type { Seniority } from "@/db/schema/routing";
import type { Finding, ParsedSheet, ParsedWorkbook } from "@/lib/files/types";
import {
  parseActive,
  parseEmail,
  parseMaxOpenTickets,
  parseSeniority,
  parseSkills,
  parseTimeZone,
  parseWorkDays,
  parseWorkHours,
  type Parsed,
} from "./values";

export const EMPLOYEE_FIELDS = ["email", "team", "department", "skills", "seniority", "maxOpenTickets", "timeZone", "active", "workHours", "workDays", "name"] as const;
export type EmployeeField = (typeof EMPLOYEE_FIELDS)[number];

/**
 * Header synonyms per field, matched after `normalizeHeader` ("E-mail" → "e mail"). Fields are
 * tried in the order of {@link EMPLOYEE_FIELDS} (so "Team name" is the team, not the name).
 */
export const EMPLOYEE_HEADER_SYNONYMS: Record<EmployeeField, readonly string[]> = {
  email: ["email", "e mail", "email address", "e mail address", "mail", "work email", "business email"],
  team: ["team", "team slug", "assignment group", "support group", "group", "queue"],
  department: ["department", "dept", "division", "department name", "business unit", "unit"],
  skills: ["skills", "skill", "skill set", "skillset", "skills list", "expertise", "competencies", "specialties", "specialisms", "tags"],
  seniority: ["seniority", "seniority level", "level", "grade", "experience level", "experience", "rank"],
  maxOpenTickets: ["max open tickets", "max tickets", "max open", "maximum open tickets", "max load", "capacity", "ticket limit", "ticket capacity", "wip limit", "max concurrent tickets"],
  timeZone: ["time zone", "timezone", "tz", "zone", "time zone iana", "iana time zone"],
  active: ["active", "is active", "enabled", "status", "employed"],
  workHours: ["working hours", "work hours", "hours", "business hours", "office hours", "shift"],
  workDays: ["working days", "work days", "workdays", "days", "work week", "days worked"],
  name: ["name", "full name", "employee name", "display name", "employee", "agent", "person", "agent name"],
};

/** Required columns: a sheet without them is refused as a whole. */
export const REQUIRED_EMPLOYEE_FIELDS: readonly EmployeeField[] = ["name", "email"];

/** Column index per field (null when absent) and header texts that matched nothing. */
export interface EmployeeColumnMap {
  columns: Record<EmployeeField, number | null>;
  unmapped: string[];
}

/**
 * Maps header texts to employee fields. First pass: a header equal to a synonym. Second pass,
 * for fields still missing: a header containing a synonym as whole words ("Employee e-mail",
 * "Primary skills"). Each column serves one field; blank headers are ignored. Pure.
 */
export function mapEmployeeColumns(headers: readonly string[]): EmployeeColumnMap {
  const normalized = headers.map(normalizeHeader);
  const columns = Object.fromEntries(EMPLOYEE_FIELDS.map((f) => [f, null])) as Record<EmployeeField, number | null>;
  const used = new Set<number>();
  const take = (field: EmployeeField, test: (h: string, s: string) => boolean) => {
    if (columns[field] !== null) return;
    for (const s of EMPLOYEE_HEADER_SYNONYMS[field]) {
      const i = normalized.findIndex((h, idx) => h !== "" && !used.has(idx) && test(h, s));
      if (i >= 0) {
        columns[field] = i;
        used.add(i);
        return;
      }
    }
  };
  for (const f of EMPLOYEE_FIELDS) take(f, (h, s) => h === s);
  for (const f of EMPLOYEE_FIELDS) take(f, (h, s) => s.length > 2 && ` ${h} `.includes(` ${s} `));
  const unmapped = headers.filter((h, i) => h.trim() !== "" && !used.has(i));
  return { columns, unmapped };
}

/** One valid row of an employee sheet, ready to import. Absent columns are absent keys. */
export interface EmployeeSheetRecord {
  /** 1-based row number in the sheet. */
  row: number;
  email: string;
  name: string;
  /** The team or department cell as written ("" when the sheet has neither column or the cell is empty). */
  teamText?: string;
  department?: string;
  skills?: string[];
  seniority?: Seniority;
  maxOpenTickets?: number;
  timeZone?: string;
  active?: boolean;
  workStartMin?: number;
  workEndMin?: number;
  workDays?: number[];
}

/** What validation found: the valid rows, the findings (one per bad cell) and the counts. */
export interface EmployeeSheetResult {
  sheet: string;
  headers: string[];
  records: EmployeeSheetRecord[];
  findings: Finding[];
  /** Data rows in the sheet. */
  rows: number;
  /** Rows with at least one error (not imported). */
  invalid: number;
}

/** A sheet without the required columns: the upload fails with this message. */
export class EmployeeSheetError extends Error {
  constructor(
    message: string,
    readonly details: { headers: string[]; missing: string[] },
  ) {
    super(message);
    this.name = "EmployeeSheetError";
  }
}

/** Longest name (the table's column). */
const NAME_MAX = 120;
/** Longest department text (the table's column). */
const DEPARTMENT_MAX = 80;

const COLUMN_LABEL: Record<EmployeeField, string> = {
  email: "e-mail", team: "team", department: "department", skills: "skills", seniority: "seniority",
  maxOpenTickets: "max open tickets", timeZone: "time zone", active: "active", workHours: "working hours",
  workDays: "working days", name: "name",
};

/**
 * The sheet of a workbook to import: the first with data rows whose headers name a name and an
 * e-mail column.
 * @throws EmployeeSheetError when no sheet has both (message names the missing columns and the headers found)
 */
export function pickEmployeeSheet(wb: ParsedWorkbook): { sheet: ParsedSheet; map: EmployeeColumnMap } {
  let first: { sheet: ParsedSheet; missing: EmployeeField[] } | null = null;
  for (const sheet of wb.sheets) {
    if (sheet.rows.length === 0) continue;
    const map = mapEmployeeColumns(sheet.headers);
    const missing = REQUIRED_EMPLOYEE_FIELDS.filter((f) => map.columns[f] === null);
    if (missing.length === 0) return { sheet, map };
    first ??= { sheet, missing };
  }
  if (!first) throw new EmployeeSheetError("The file has no data rows", { headers: [], missing: [] });
  const names = first.missing.map((f) => COLUMN_LABEL[f]);
  throw new EmployeeSheetError(
    `The sheet needs a ${names.join(" and a ")} column (found: ${first.sheet.headers.filter((h) => h.trim()).join(", ") || "no headers"})`,
    { headers: first.sheet.headers, missing: names },
  );
}

/**
 * Validate every data row of an employee sheet. A row with any bad cell gets one finding per
 * bad cell (row number and column as in the file) and is not imported; a repeated e-mail is an
 * error on the later row (`duplicate_email`). Values are normalised (see ./values.ts).
 * @throws EmployeeSheetError when the required columns are missing
 */
export function validateEmployeeSheet(wb: ParsedWorkbook): EmployeeSheetResult {
  const { sheet, map } = pickEmployeeSheet(wb);
  const c = map.columns;
  const findings: Finding[] = [];
  const records: EmployeeSheetRecord[] = [];
  const firstRowOf = new Map<string, number>();
  let invalid = 0;
  for (const r of sheet.rows) {
    const cell = (f: EmployeeField) => (c[f] === null ? null : (r.values[c[f]!] ?? ""));
    const errors: Finding[] = [];
    const error = (f: EmployeeField, code: string, message: string) =>
      errors.push({ sheet: sheet.name, row: r.row, column: sheet.headers[c[f]!] ?? COLUMN_LABEL[f], code, severity: "error", message, value: cell(f) || null });
    const check = <T>(f: EmployeeField, code: string, parse: (s: string) => Parsed<T>): T | undefined => {
      const text = cell(f);
      if (text === null) return undefined;
      const p = parse(text);
      if (p.ok) return p.value;
      error(f, code, p.message);
      return undefined;
    };

    const email = check("email", "invalid_email", parseEmail);
    const name = (cell("name") ?? "").trim().replace(/\s+/g, " ");
    if (name === "") error("name", "missing_value", "Name is required");
    else if (name.length > NAME_MAX) error("name", "too_long", `Name is longer than ${NAME_MAX} characters`);
    const teamText = cell("team")?.trim();
    const deptText = cell("department")?.trim().replace(/\s+/g, " ");
    if (deptText && deptText.length > DEPARTMENT_MAX) error("department", "too_long", `Department is longer than ${DEPARTMENT_MAX} characters`);
    if (teamText && teamText.length > DEPARTMENT_MAX) error("team", "too_long", `Team is longer than ${DEPARTMENT_MAX} characters`);
    const skills = check("skills", "invalid_skills", parseSkills);
    const seniority = check("seniority", "invalid_seniority", parseSeniority);
    const maxOpenTickets = check("maxOpenTickets", "out_of_range", parseMaxOpenTickets);
    const timeZone = check("timeZone", "invalid_time_zone", parseTimeZone);
    const active = check("active", "invalid_value", parseActive);
    const hours = check("workHours", "invalid_hours", parseWorkHours);
    const workDays = check("workDays", "invalid_days", parseWorkDays);
    if (email !== undefined) {
      const earlier = firstRowOf.get(email);
      if (earlier !== undefined) error("email", "duplicate_email", `E-mail ${email} already appears on row ${earlier}; each person once`);
      else firstRowOf.set(email, r.row);
    }

    if (errors.length > 0 || email === undefined) {
      invalid += 1;
      findings.push(...errors);
      continue;
    }
    const rec: EmployeeSheetRecord = { row: r.row, email, name };
    if (teamText !== undefined || deptText !== undefined) {
      rec.teamText = teamText || deptText || "";
      rec.department = deptText || teamText || "";
    }
    if (skills !== undefined) rec.skills = skills;
    if (seniority !== undefined) rec.seniority = seniority;
    if (maxOpenTickets !== undefined) rec.maxOpenTickets = maxOpenTickets;
    if (timeZone !== undefined) rec.timeZone = timeZone;
    if (active !== undefined) rec.active = active;
    if (hours !== undefined) {
      rec.workStartMin = hours.startMin;
      rec.workEndMin = hours.endMin;
    }
    if (workDays !== undefined) rec.workDays = workDays;
    records.push(rec);
  }
  return { sheet: sheet.name, headers: sheet.headers, records, findings, rows: sheet.rows.length, invalid };
}
