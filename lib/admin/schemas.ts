import { z } from "zod";
import { SlugSchema, text } from "@/lib/tickets/schemas";

/** One example ticket of a category (admin-written): what a ticket of it looks like. */
export const CategoryExampleSchema = z.strictObject({
  title: text().trim().max(200).default(""),
  description: text().trim().min(3).max(5000),
});
export type CategoryExampleInput = z.infer<typeof CategoryExampleSchema>;

/** Most example tickets per request. */
export const MAX_EXAMPLES_PER_REQUEST = 50;

/** POST /api/categories (admin); `examples` teach the triage model the category at once. */
export const CreateCategorySchema = z.strictObject({
  slug: SlugSchema,
  name: text().trim().min(2).max(80),
  description: text().trim().max(500).default(""),
  team: SlugSchema.describe("Team the category routes to"),
  examples: z.array(CategoryExampleSchema).max(MAX_EXAMPLES_PER_REQUEST).optional(),
});
export type CreateCategoryInput = z.infer<typeof CreateCategorySchema>;

/** PATCH /api/categories/{slug} (admin): rename, describe, re-route or (de)activate. */
export const UpdateCategorySchema = z
  .strictObject({
    name: text().trim().min(2).max(80).optional(),
    description: text().trim().max(500).optional(),
    team: SlugSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateCategoryInput = z.infer<typeof UpdateCategorySchema>;

/** POST /api/teams (admin). */
export const CreateTeamSchema = z.strictObject({
  slug: SlugSchema,
  name: text().trim().min(2).max(80),
  description: text().trim().max(500).default(""),
  email: text().trim().toLowerCase().max(254).pipe(z.email()).optional(),
});
export type CreateTeamInput = z.infer<typeof CreateTeamSchema>;

/** POST /api/categories/{slug}/examples (admin): one example `{title?, description}` or a batch `{examples: [...]}` (1–50). */
export const AddCategoryExamplesSchema = z.union([
  CategoryExampleSchema,
  z.strictObject({ examples: z.array(CategoryExampleSchema).min(1).max(MAX_EXAMPLES_PER_REQUEST) }),
]);
export type AddCategoryExamplesInput = z.infer<typeof AddCategoryExamplesSchema>;

/**
 * Example tickets typed one per line in the admin form: `Title | description` or just a
 * description. Blank lines are skipped. Returns undefined when there are none.
 */
export function parseExampleLines(text: string): { title: string; description: string }[] | undefined {
  const out = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf("|");
      return i >= 0 ? { title: l.slice(0, i).trim(), description: l.slice(i + 1).trim() } : { title: "", description: l };
    });
  return out.length ? out : undefined;
}
