import { z } from "zod";
import { SlugSchema, text } from "@/lib/tickets/schemas";

/** POST /api/categories (admin). */
export const CreateCategorySchema = z.strictObject({
  slug: SlugSchema,
  name: text().trim().min(2).max(80),
  description: text().trim().max(500).default(""),
  team: SlugSchema.describe("Team the category routes to"),
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
