import { z } from "zod";
import { ListTicketsQuerySchema, text } from "@/lib/tickets/schemas";

/*
 * Saved views (the agents' side bar): payloads of /api/views and the "Save as view" form.
 * Imported by client components: no server-only imports.
 */

/** The list orders a view can keep (GET /api/tickets `sort`). */
export const VIEW_SORTS = ["created", "updated", "priority", "due"] as const;
export type ViewSort = (typeof VIEW_SORTS)[number];
export const ViewSortSchema = z.enum(VIEW_SORTS);

/** A view's filters: the ticket list's filter fields, without paging and order (strict: unknown keys are a 400). */
export const ViewFiltersSchema = ListTicketsQuerySchema.omit({ limit: true, cursor: true, before: true, sort: true });

/** Longest view name, in characters (the column's length). */
export const VIEW_NAME_MAX = 80;

const ViewName = text()
  .trim()
  .min(1, "Give the view a name")
  .max(VIEW_NAME_MAX, `A view name can have at most ${VIEW_NAME_MAX} characters`);

/**
 * Filters as sent: the list's query-string values (`{"status": "new,open", "assignee": "me"}`;
 * a list field may also be an array). Checked with {@link ViewFiltersSchema}; the output is the
 * stored form, every value a string (lists comma-joined), so a view is also a list URL.
 */
const ViewFiltersInput = z
  .record(z.string().max(40), z.union([text().max(200), z.array(text().max(40)).max(10)]))
  .superRefine((v, ctx) => {
    const r = ViewFiltersSchema.safeParse(v);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path, input: undefined });
  })
  .transform((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.join(",") : x.trim()])) as Record<string, string>)
  .describe("The list's filter parameters as in GET /api/tickets (status, priority, category, team, assignee, tag, myTeams, q, …), values as strings");

/** POST /api/views. `shared` (admins only) makes a view every agent sees. */
export const CreateViewSchema = z.strictObject({
  name: ViewName,
  filters: ViewFiltersInput,
  sort: ViewSortSchema.default("created"),
  shared: z.boolean().default(false).describe("A shared view (admins only); otherwise a personal view"),
});
export type CreateViewInput = z.infer<typeof CreateViewSchema>;

/** PATCH /api/views/{id}: at least one field. */
export const UpdateViewSchema = z
  .strictObject({ name: ViewName.optional(), filters: ViewFiltersInput.optional(), sort: ViewSortSchema.optional() })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateViewInput = z.infer<typeof UpdateViewSchema>;
