"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { failed, invalid, SIGNED_OUT } from "@/lib/sla/admin/action-state";
import type { SlaFormState } from "@/lib/sla/admin/form-errors";
import { currentPrincipal } from "@/lib/auth/session";
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/sla/admin/policies";
import { CreatePolicySchema, UpdatePolicySchema } from "@/lib/sla/admin/schemas";
import { textArg } from "@/lib/forms/action-args";

/** Create an SLA policy (admins). Input: CreatePolicySchema's payload (targets in seconds). */
export async function createPolicyAction(_prev: SlaFormState, raw: unknown): Promise<SlaFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreatePolicySchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const p = await createPolicy(await getDb(), parsed.data, principal);
    revalidatePath("/admin/sla");
    return { status: "success", message: `Policy ${p.name} created.`, data: { id: p.id, name: p.name } };
  } catch (err) {
    return failed(err, "createPolicyAction");
  }
}

/** Change an SLA policy (admins). Input: UpdatePolicySchema's payload. */
export async function updatePolicyAction(id: string, _prev: SlaFormState, raw: unknown): Promise<SlaFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdatePolicySchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error.issues);
    const p = await updatePolicy(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/sla");
    revalidatePath(`/admin/sla/${id}`);
    return { status: "success", message: `Saved: ${p.name}.`, data: { id: p.id, name: p.name } };
  } catch (err) {
    return failed(err, "updatePolicyAction");
  }
}

/** Delete an SLA policy (admins). */
export async function deletePolicyAction(id: string, _prev: SlaFormState): Promise<SlaFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    await deletePolicy(await getDb(), id, principal);
    revalidatePath("/admin/sla");
    return { status: "success", message: "Policy deleted.", data: { id, name: "" } };
  } catch (err) {
    return failed(err, "deletePolicyAction");
  }
}
