import type { FormState } from "@/lib/forms/form-state";
import type { CategoryDTO } from "@/lib/admin/categories";

/*
 * The states the admin forms' server actions (app/admin/{categories,teams}/actions.ts) return,
 * shared by those actions and the client forms that render them.
 */

export type CreateCategoryField = "slug" | "name" | "description" | "team" | "examples";
export type UpdateCategoryField = "name" | "description" | "team" | "active";
export type CategoryResult = CategoryDTO & { teamName: string; examples?: unknown[] };
export type CreateCategoryState = FormState<CreateCategoryField, CategoryResult>;
export type UpdateCategoryState = FormState<UpdateCategoryField, CategoryResult>;

export type CreateTeamField = "slug" | "name" | "description" | "email";
export type CreateTeamState = FormState<CreateTeamField, { slug: string; name: string }>;
