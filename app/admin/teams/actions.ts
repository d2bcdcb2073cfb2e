"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { conflictField } from "@/lib/admin/conflicts";
import { friendlyFieldErrors } from "@/components/admin/messages";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { createTeam } from "@/lib/admin/categories";
import { CreateTeamSchema } from "@/lib/admin/schemas";
import { currentPrincipal } from "@/lib/auth/session";
import type { CreateTeamField, CreateTeamState } from "@/components/admin/form-state";
import type { AssignmentModeState } from "@/components/routing/assignment-mode-select";
import { UpdateTeamAssignmentSchema } from "@/lib/routing/targets/schemas";
import { setTeamAssignmentMode } from "@/lib/routing/targets/team-assignment";
import { textArg } from "@/lib/forms/action-args";

/** Create a team (assignment group) that categories can route to (admins). 409 slug/name taken come back as field errors. */
export async function createTeamAction(_prev: CreateTeamState, raw: unknown): Promise<CreateTeamState> {
  const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const input: Record<string, unknown> = {};
  for (const f of ["slug", "name", "description", "email"] as const) {
    // An empty e-mail means "none" (the field is optional).
    if (typeof src[f] === "string" && !(f === "email" && (src[f] as string).trim() === "")) input[f] = src[f];
  }
  try {
    const principal = await currentPrincipal();
    if (!principal) return { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} };
    const parsed = CreateTeamSchema.safeParse(input);
    if (!parsed.success) {
      return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: friendlyFieldErrors(fieldErrorsFromIssues<CreateTeamField>(parsed.error.issues), input) };
    }
    const team = await createTeam(await getDb(), parsed.data, principal);
    revalidatePath("/admin/teams");
    revalidatePath("/admin/categories");
    return { status: "success", message: `Team ${team.name} created. Route categories to it on the Categories page.`, data: { slug: team.slug, name: team.name } };
  } catch (err) {
    const clash = conflictField(err, "team", input as { slug?: string; name?: string });
    if (clash) return { status: "error", message: clash.message, fieldErrors: { [clash.field]: clash.message } };
    return toErrorState<CreateTeamField>(err, "createTeamAction");
  }
}

/** Switch how tickets landing on team `slug` get a person: {assignmentMode: auto | round_robin | manual}. */
export async function setAssignmentModeAction(slug: string, _prev: AssignmentModeState, raw: unknown): Promise<AssignmentModeState> {
  slug = textArg(slug);
  try {
    const principal = await currentPrincipal();
    if (!principal) return { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} };
    const parsed = UpdateTeamAssignmentSchema.safeParse(raw);
    if (!parsed.success) return { status: "error", message: "Choose automatic, round-robin or manual.", fieldErrors: { assignmentMode: "Choose a mode" } };
    const team = await setTeamAssignmentMode(await getDb(), slug, parsed.data, principal);
    revalidatePath("/admin/teams");
    return { status: "success", message: "Saved.", data: { assignmentMode: team.assignmentMode } };
  } catch (err) {
    return toErrorState<"assignmentMode">(err, "setAssignmentModeAction");
  }
}
