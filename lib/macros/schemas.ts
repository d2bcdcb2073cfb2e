import { z } from "zod";
import { COMMENT_MAX } from "@/db/schema/tickets";
import { text, UpdateTicketSchema } from "@/lib/tickets/schemas";

/*
 * Macros (canned responses): payload schemas shared by the admin/settings forms, the route
 * handlers and OpenAPI, and the placeholder rules. Client-safe (no server imports).
 */

/** Placeholders a macro body may use, filled per ticket by POST /api/macros/{id}/render. */
export const PLACEHOLDERS = ["requester.name", "requester.email", "ticket.key", "ticket.title", "ticket.status", "agent.name"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `{{ name }}` (spaces inside the braces allowed). */
const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The distinct placeholder names in `body` that are not in {@link PLACEHOLDERS}, in order of appearance. */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  const out: string[] = [];
  for (const m of body.matchAll(PLACEHOLDER_RE)) if (!known.has(m[1]) && !out.includes(m[1])) out.push(m[1]);
  return out;
}

/** `body` with every known placeholder replaced by its value (unknown ones are left as written). */
export function fillPlaceholders(body: string, values: Record<Placeholder, string>): string {
  return body.replace(PLACEHOLDER_RE, (whole, name: string) => (name in values ? values[name as Placeholder] : whole));
}

const shape = UpdateTicketSchema.shape;

/**
 * Field changes a macro applies with the reply: the same field schemas as PATCH /api/tickets/{key}
 * (status, waitingReason, priority, category, team, assignee); applied through updateTicket.
 */
export const MacroActionsSchema = z.strictObject({
  status: shape.status,
  waitingReason: shape.waitingReason,
  priority: shape.priority,
  category: shape.category,
  team: shape.team,
  assignee: shape.assignee,
});
export type MacroActions = z.infer<typeof MacroActionsSchema>;

const Name = text().trim().min(1, "Give the macro a name").max(80, "The name can have at most 80 characters");
const Body = text().trim().min(1, "The macro text is empty").max(COMMENT_MAX, `The text can have at most ${COMMENT_MAX} characters`);

/** POST /api/macros. `shared` (admins only) makes a macro every agent can use; otherwise it is the caller's own. */
export const CreateMacroSchema = z.strictObject({
  name: Name,
  body: Body.describe(`Reply text; placeholders ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`),
  internal: z.boolean().default(false).describe("Insert as an internal note instead of a public reply"),
  actions: MacroActionsSchema.default({}).describe("Field changes applied with the reply"),
  shared: z.boolean().default(false).describe("Shared with every agent (admins only); default: a personal macro"),
});
export type CreateMacroInput = z.infer<typeof CreateMacroSchema>;

/** PATCH /api/macros/{id}: any of the fields; at least one. Ownership (shared/personal) does not change. */
export const UpdateMacroSchema = z
  .strictObject({
    name: Name.optional(),
    body: Body.optional(),
    internal: z.boolean().optional(),
    actions: MacroActionsSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateMacroInput = z.infer<typeof UpdateMacroSchema>;

/** POST /api/macros/{id}/render. */
export const RenderMacroSchema = z.strictObject({
  ticketKey: z.string().min(1).max(30).describe("The ticket whose requester, key, title and status fill the placeholders"),
});

/** A macro as the API and the pages show it. */
export interface MacroDTO {
  id: string;
  name: string;
  body: string;
  internal: boolean;
  actions: MacroActions;
  /** Shared with every agent (admins manage it); false = the caller's personal macro. */
  shared: boolean;
  /** True when the caller may edit or delete it. */
  editable: boolean;
  usageCount: number;
  /** ISO timestamp. */
  updatedAt: string;
}

/** What POST /api/macros/{id}/render returns: the body filled for one ticket. */
export interface RenderedMacro {
  body: string;
  internal: boolean;
  actions: MacroActions;
}
