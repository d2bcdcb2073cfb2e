"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { conflictField } from "@/lib/admin/conflicts";
import { friendlyFieldErrors } from "@/components/admin/messages";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { createCategory, updateCategory, type CategoryDTO } from "@/lib/admin/categories";
import { CreateCategorySchema, UpdateCategorySchema } from "@/lib/admin/schemas";
import { currentPrincipal } from "@/lib/auth/session";
import { getReferenceData } from "@/lib/reference/cache";
import type { CategoryResult, CreateCategoryField, CreateCategoryState, UpdateCategoryField, UpdateCategoryState } from "@/components/admin/form-state";
import { textArg } from "@/lib/forms/action-args";

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

function pick(raw: unknown, fields: readonly string[]): Record<string, unknown> {
  const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in src && src[f] !== undefined) out[f] = src[f];
  return out;
}

async function withTeamName(c: CategoryDTO): Promise<CategoryResult> {
  const ref = await getReferenceData(await getDb());
  return { ...c, teamName: ref.teamBySlug.get(c.team)?.name ?? c.team };
}

/** Create a category routed to a team (admins). 409 slug/name taken and 422 unknown team come back as field errors. */
export async function createCategoryAction(_prev: CreateCategoryState, raw: unknown): Promise<CreateCategoryState> {
  const input = pick(raw, ["slug", "name", "description", "team", "examples"]);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreateCategorySchema.safeParse(input);
    if (!parsed.success) {
      return {
        status: "error",
        message: "Please correct the highlighted fields.",
        fieldErrors: friendlyFieldErrors(fieldErrorsFromIssues<CreateCategoryField>(parsed.error.issues), input),
      };
    }
    const category = await createCategory(await getDb(), parsed.data, principal);
    revalidatePath("/admin/categories");
    const data = await withTeamName(category);
    const taught = category.examples?.length ? ` The triage model learns it from ${category.examples.length} example ticket(s).` : "";
    return { status: "success", message: `Category ${data.name} created, routed to ${data.teamName}.${taught}`, data };
  } catch (err) {
    const clash = conflictField(err, "category", input as { slug?: string; name?: string });
    if (clash) return { status: "error", message: clash.message, fieldErrors: { [clash.field]: clash.message } };
    return toErrorState<CreateCategoryField>(err, "createCategoryAction");
  }
}

/** Re-route a category to another team and/or (de)activate it (admins). */
export async function updateCategoryAction(slug: string, _prev: UpdateCategoryState, raw: unknown): Promise<UpdateCategoryState> {
  slug = textArg(slug);
  const input = pick(raw, ["name", "description", "team", "active"]);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateCategorySchema.safeParse(input);
    if (!parsed.success) {
      return {
        status: "error",
        message: parsed.error.issues[0]?.message ?? "Invalid change",
        fieldErrors: friendlyFieldErrors(fieldErrorsFromIssues<UpdateCategoryField>(parsed.error.issues), input),
      };
    }
    const category = await updateCategory(await getDb(), slug, parsed.data, principal);
    revalidatePath("/admin/categories");
    const data = await withTeamName(category);
    const parts = [
      parsed.data.team !== undefined ? `routes to ${data.teamName}` : null,
      parsed.data.active !== undefined ? (data.active ? "active" : "inactive (hidden from new tickets)") : null,
    ].filter(Boolean);
    return { status: "success", message: `Saved: ${data.name} ${parts.length ? parts.join(", ") : "updated"}.`, data };
  } catch (err) {
    const clash = conflictField(err, "category", input as { name?: string });
    if (clash?.field === "name") return { status: "error", message: clash.message, fieldErrors: { name: clash.message } };
    return toErrorState<UpdateCategoryField>(err, "updateCategoryAction");
  }
}
