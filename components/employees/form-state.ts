import type { FormState } from "@/lib/forms/form-state";

/*
 * The state the employee form's server actions (app/admin/employees/actions.ts) return, shared
 * by those actions and the client form that renders it.
 */

export type EmployeeField =
  | "name"
  | "email"
  | "team"
  | "department"
  | "skills"
  | "seniority"
  | "maxOpenTickets"
  | "timeZone"
  | "workHours"
  | "workDays"
  | "active";

export type EmployeeFormState = FormState<EmployeeField, { id: string; name: string }>;

/** What the form sends to its action (the schema's input; `id` when editing). */
export interface EmployeeFormInput {
  id?: string;
  name: string;
  email: string;
  team: string | null;
  department: string;
  skills: string;
  seniority: string;
  maxOpenTickets: number;
  timeZone: string;
  workHours: string;
  workDays: number[];
  active: boolean;
}
