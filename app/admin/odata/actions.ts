"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { sourceFieldErrors, type SourceFormState } from "@/components/odata/source-input";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import type { FormState } from "@/lib/forms/form-state";
import { ApiError } from "@/lib/http/errors";
import { CreateODataSourceSchema, UpdateODataSourceSchema } from "@/lib/odata/schemas";
import { createSource, deleteSource, requestRun, updateSource } from "@/lib/odata/service";
import { textArg } from "@/lib/forms/action-args";

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

/** A service error as form state: `details.issues` paths and `details.field` become field errors. */
function failed(err: unknown, context: string): SourceFormState {
  if (err instanceof ApiError && err.code === "validation_error") {
    const issues = ((err.details as { issues?: { path: string; message: string }[] } | null)?.issues ?? []).map((i) => ({ path: i.path.split("."), message: i.message }));
    return { status: "error", message: err.message, fieldErrors: sourceFieldErrors(issues) };
  }
  return toErrorState<string>(err, context);
}

/** Create an OData source (admins). Input: CreateODataSourceSchema's payload. */
export async function createSourceAction(_prev: SourceFormState, raw: unknown): Promise<SourceFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreateODataSourceSchema.safeParse(raw);
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: sourceFieldErrors(parsed.error.issues) };
    const s = await createSource(await getDb(), parsed.data, principal);
    revalidatePath("/admin/odata");
    return { status: "success", message: `Source ${s.name} created; its first pull is due now.`, data: { id: s.id, name: s.name } };
  } catch (err) {
    return failed(err, "createSourceAction");
  }
}

/** Change an OData source (admins). Input: UpdateODataSourceSchema's payload (only what changed). */
export async function updateSourceAction(id: string, _prev: SourceFormState, raw: unknown): Promise<SourceFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateODataSourceSchema.safeParse(raw);
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: sourceFieldErrors(parsed.error.issues) };
    const s = await updateSource(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/odata");
    revalidatePath(`/admin/odata/${id}`);
    return { status: "success", message: `Saved: ${s.name}${s.active ? "" : " (inactive)"}.`, data: { id: s.id, name: s.name } };
  } catch (err) {
    return failed(err, "updateSourceAction");
  }
}

/** Delete an OData source (admins); its tickets stay. */
export async function deleteSourceAction(id: string, _prev: SourceFormState): Promise<SourceFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    await deleteSource(await getDb(), id, principal);
    revalidatePath("/admin/odata");
    return { status: "success", message: "Source deleted.", data: { id, name: "" } };
  } catch (err) {
    return failed(err, "deleteSourceAction");
  }
}

export type RunNowState = FormState<never, { runId: string }>;

/** Pull a source now (admins): the run is queued for a worker; the page shows it as running. */
export async function runNowAction(id: string, _prev: RunNowState): Promise<RunNowState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const run = await requestRun(await getDb(), id, principal);
    revalidatePath("/admin/odata");
    revalidatePath(`/admin/odata/${id}`);
    return { status: "success", message: "Run queued. Reload to see its report.", data: { runId: run.id } };
  } catch (err) {
    return toErrorState<never>(err, "runNowAction");
  }
}
