"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { issuesToFieldErrors, type TargetFormState } from "@/components/routing/target-input";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { ApiError } from "@/lib/http/errors";
import { retryPush } from "@/lib/routing/push/retry";
import { CreateTargetSchema, UpdateTargetSchema } from "@/lib/routing/targets/schemas";
import { createTarget, deleteTarget, updateTarget } from "@/lib/routing/targets/service";
import { actorOf } from "@/lib/tickets/access";
import type { FormState } from "@/lib/forms/form-state";
import { intArg, textArg } from "@/lib/forms/action-args";

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): TargetFormState {
  return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: issuesToFieldErrors(issues) };
}

/** A service error as form state: `details.issues` (paths like `config.projectKey`) and `details.field` become field errors. */
function failed(err: unknown, context: string): TargetFormState {
  if (err instanceof ApiError && err.code === "validation_error") {
    const issues = ((err.details as { issues?: { path: string; message: string }[] } | null)?.issues ?? []).map((i) => ({ path: i.path.split("."), message: i.message }));
    return { status: "error", message: err.message, fieldErrors: issuesToFieldErrors(issues) };
  }
  return toErrorState<string>(err, context);
}

/** Create a team mapping (admins). Input: CreateTargetSchema's payload; errors keyed by path. */
export async function createTargetAction(_prev: TargetFormState, raw: unknown): Promise<TargetFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreateTargetSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const t = await createTarget(await getDb(), parsed.data, principal);
    revalidatePath("/admin/routing");
    return { status: "success", message: `Mapping ${t.name} created for team ${t.team}.`, data: { id: t.id, name: t.name } };
  } catch (err) {
    return failed(err, "createTargetAction");
  }
}

/** Change a team mapping (admins). Input: UpdateTargetSchema's payload (only what changed). */
export async function updateTargetAction(id: string, _prev: TargetFormState, raw: unknown): Promise<TargetFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateTargetSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const t = await updateTarget(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/routing");
    revalidatePath(`/admin/routing/${id}`);
    return { status: "success", message: `Saved: ${t.name}${t.active ? "" : " (inactive)"}.`, data: { id: t.id, name: t.name } };
  } catch (err) {
    return failed(err, "updateTargetAction");
  }
}

/** Delete a team mapping (admins); refused while tickets link to its records or pushes are pending. */
export async function deleteTargetAction(id: string, _prev: TargetFormState): Promise<TargetFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    await deleteTarget(await getDb(), id, principal);
    revalidatePath("/admin/routing");
    return { status: "success", message: "Mapping deleted.", data: { id, name: "" } };
  } catch (err) {
    return failed(err, "deleteTargetAction");
  }
}

export type RetryState = FormState<never, { pushId: number }>;

/** Queue a dead push again (admins): the dead-letter list's Retry button. */
export async function retryPushAction(pushId: number, _prev: RetryState): Promise<RetryState> {
  pushId = intArg(pushId);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    if (principal.role !== "admin") return { status: "error", message: "Only admins can retry pushes.", fieldErrors: {} };
    await retryPush(await getDb(), pushId, actorOf(principal));
    // No revalidation: the row stays with its "Queued again." message (the list drops it on the next visit).
    return { status: "success", message: "Queued again.", data: { pushId } };
  } catch (err) {
    return toErrorState<never>(err, "retryPushAction");
  }
}
