"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import type { EmployeeField, EmployeeFormState } from "@/components/employees/form-state";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { CreateEmployeeSchema, UpdateEmployeeSchema } from "@/lib/routing/employees/schemas";
import { createEmployee, updateEmployee } from "@/lib/routing/employees/service";

const FIELDS: readonly EmployeeField[] = ["name", "email", "team", "department", "skills", "seniority", "maxOpenTickets", "timeZone", "workHours", "workDays", "active"];

/** Keep only the form's fields (the schemas are strict). */
function pick(raw: unknown): { id: unknown; input: Record<string, unknown> } {
  const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const input: Record<string, unknown> = {};
  for (const f of FIELDS) if (src[f] !== undefined) input[f] = src[f];
  return { id: src.id, input };
}

const SIGNED_OUT: EmployeeFormState = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} };
const INVALID = "Please correct the highlighted fields.";

/**
 * Create an employee skill profile from the /admin/employees form (admins), with the API's
 * schema and service (lib/routing/employees). Never throws: errors come back as form state.
 */
export async function createEmployeeAction(_prev: EmployeeFormState, raw: unknown): Promise<EmployeeFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreateEmployeeSchema.safeParse(pick(raw).input);
    if (!parsed.success) return { status: "error", message: INVALID, fieldErrors: fieldErrorsFromIssues<EmployeeField>(parsed.error.issues) };
    const e = await createEmployee(await getDb(), parsed.data, principal);
    revalidatePath("/admin/employees");
    const who = e.user?.invited ? " They were invited as an agent and set a password before signing in." : "";
    return { status: "success", message: `${e.name} added.${who}`, data: { id: e.id, name: e.name } };
  } catch (err) {
    return toErrorState<EmployeeField>(err, "createEmployeeAction");
  }
}

/** Save the /admin/employees edit form (admins). Never throws: errors come back as form state. */
export async function updateEmployeeAction(_prev: EmployeeFormState, raw: unknown): Promise<EmployeeFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const { id, input } = pick(raw);
    if (typeof id !== "string") return { status: "error", message: "Choose an employee to edit.", fieldErrors: {} };
    const parsed = UpdateEmployeeSchema.safeParse(input);
    if (!parsed.success) return { status: "error", message: INVALID, fieldErrors: fieldErrorsFromIssues<EmployeeField>(parsed.error.issues) };
    const e = await updateEmployee(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/employees");
    return { status: "success", message: `Saved ${e.name}.`, data: { id: e.id, name: e.name } };
  } catch (err) {
    return toErrorState<EmployeeField>(err, "updateEmployeeAction");
  }
}
