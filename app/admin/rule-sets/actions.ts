"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { createRuleSet, deactivateRuleSet, updateRuleSet } from "@/lib/files/compliance/rule-sets";
import { issueList, RuleSetSchema, UpdateRuleSetSchema } from "@/lib/files/compliance/schema";
import type { RuleSetFormState } from "@/lib/files/compliance/draft";
import { errorsByPlace } from "@/lib/files/compliance/draft";
import { toErrorState } from "@/lib/forms/action-errors";
import { ApiError } from "@/lib/http/errors";
import { textArg } from "@/lib/forms/action-args";

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

function invalid(issues: { path: string; message: string }[]): RuleSetFormState {
  const n = issues.length;
  return { status: "error", message: `The rule set has ${n} problem${n === 1 ? "" : "s"}; see the highlighted fields.`, fieldErrors: errorsByPlace(issues) };
}

/** A service error as form state; a 409 on the name becomes a field error. */
function failed(err: unknown, context: string): RuleSetFormState {
  if (err instanceof ApiError && err.code === "conflict" && (err.details as { field?: string } | null)?.field === "name") {
    return { status: "error", message: err.message, fieldErrors: { name: err.message } };
  }
  return toErrorState<string>(err, context);
}

/** Create a rule set (admins): {name, description, rules, active}. Parsed with RuleSetSchema; errors keyed by path (`rules.2.regex`). */
export async function createRuleSetAction(_prev: RuleSetFormState, raw: unknown): Promise<RuleSetFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = RuleSetSchema.safeParse(raw);
    if (!parsed.success) return invalid(issueList(parsed.error));
    const rs = await createRuleSet(await getDb(), parsed.data, principal);
    revalidatePath("/admin/rule-sets");
    return { status: "success", message: `Rule set ${rs.name} created with ${rs.rules.length} rules.`, data: { id: rs.id, name: rs.name, version: rs.version, active: rs.active } };
  } catch (err) {
    return failed(err, "createRuleSetAction");
  }
}

/** Replace a rule set (admins): {name, description, rules, active, expectedVersion}; a newer stored version is a conflict message. */
export async function updateRuleSetAction(id: string, _prev: RuleSetFormState, raw: unknown): Promise<RuleSetFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateRuleSetSchema.safeParse(raw);
    if (!parsed.success) return invalid(issueList(parsed.error));
    const rs = await updateRuleSet(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/rule-sets");
    revalidatePath(`/admin/rule-sets/${id}`);
    return {
      status: "success",
      message: `Saved: ${rs.name}, version ${rs.version}${rs.active ? "" : " (inactive)"}.`,
      data: { id: rs.id, name: rs.name, version: rs.version, active: rs.active },
    };
  } catch (err) {
    return failed(err, "updateRuleSetAction");
  }
}

/** Deactivate a rule set (admins): no longer offered for new uploads. */
export async function deactivateRuleSetAction(id: string, _prev: RuleSetFormState): Promise<RuleSetFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const rs = await deactivateRuleSet(await getDb(), id, principal);
    revalidatePath("/admin/rule-sets");
    revalidatePath(`/admin/rule-sets/${id}`);
    return { status: "success", message: `${rs.name} is inactive: no longer offered for new uploads.`, data: { id: rs.id, name: rs.name, version: rs.version, active: rs.active } };
  } catch (err) {
    return failed(err, "deactivateRuleSetAction");
  }
}
