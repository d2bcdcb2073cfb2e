import { z } from "zod";
import type { Priority, Source } from "@/db/schema/enums";
import { EmailSchema, MetadataSchema, METADATA_MAX_BYTES, METADATA_MAX_DEPTH, text } from "@/lib/tickets/schemas";
import { DESCRIPTION_MAX, TITLE_MAX } from "@/db/schema/tickets";

/*
 * The payload of POST /api/webhook/ticket (seed 001's integration endpoint), one zod schema
 * shared by the route handler, the OpenAPI document and the n8n workflow test. Browser-safe:
 * no server-only imports.
 */

/** Seed 001's priority words and their ITIL priority (P1 most urgent). */
export const WEBHOOK_PRIORITY_WORDS: Readonly<Record<string, Priority>> = {
  critical: "P1",
  high: "P2",
  medium: "P3",
  low: "P4",
};

/**
 * Map a priority as integrations send it (`low|medium|high|critical` or `P1`–`P4`, any case,
 * surrounding spaces ignored) to our priority, or null when it is not one of those.
 */
export function mapWebhookPriority(raw: string): Priority | null {
  const v = raw.trim().toLowerCase();
  if (v in WEBHOOK_PRIORITY_WORDS) return WEBHOOK_PRIORITY_WORDS[v];
  return /^p[1-4]$/.test(v) ? (v.toUpperCase() as Priority) : null;
}

/** Free-text channel names (seed 001's `source`) that map to a channel other than `api`. */
const SOURCE_ALIASES: Readonly<Record<string, Source>> = {
  email: "email",
  "e-mail": "email",
  mail: "email",
  imap: "email",
  smtp: "email",
  web: "web",
  form: "web",
  portal: "web",
  odata: "odata",
};

/**
 * Map an integration's free-text `source` ("email", "n8n", "monitoring", …) to our channel:
 * mail words → `email`, web words → `web`, `odata` → `odata`, anything else → `api`.
 */
export function mapWebhookSource(raw: string): Source {
  return SOURCE_ALIASES[raw.trim().toLowerCase()] ?? "api";
}

const PRIORITY_HELP = "low, medium, high, critical or P1–P4 (any case)";

/**
 * POST /api/webhook/ticket body (seed 001): title, description, email, and optionally priority
 * (`low|medium|high|critical` → P4/P3/P2/P1, or `P1`–`P4`, any case), source (free text, kept in
 * metadata as `webhook_source`), metadata (a JSON object, same limits as tickets) and department
 * (a team slug, name or short name: wins over the triage's team). Unknown keys are a 400.
 */
export const WebhookTicketSchema = z.strictObject({
  title: text()
    .trim()
    .min(3, "The title needs at least 3 characters")
    .max(TITLE_MAX, `The title can have at most ${TITLE_MAX} characters`)
    .describe("Short summary (e-mail subject)"),
  description: text()
    .trim()
    .min(10, "Describe the problem in at least 10 characters")
    .max(DESCRIPTION_MAX, `The description can have at most ${DESCRIPTION_MAX} characters`)
    .describe("The problem in the requester's words (e-mail body)"),
  email: EmailSchema.describe("Requester e-mail"),
  priority: z
    .string()
    .max(20, `Use ${PRIORITY_HELP}`)
    .transform((v, ctx) => {
      const p = mapWebhookPriority(v);
      if (p === null) {
        ctx.addIssue({ code: "custom", message: `Unknown priority; use ${PRIORITY_HELP}`, input: v });
        return z.NEVER;
      }
      return p;
    })
    .optional()
    .describe(`${PRIORITY_HELP}; low → P4, medium → P3, high → P2, critical → P1. Omitted: the triage suggests one`),
  source: text()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe("Where the ticket came from (email, n8n, monitoring, …): mapped to the channel (email, web, odata, else api) and kept in metadata.webhook_source"),
  metadata: MetadataSchema.optional().describe(
    `Free-form JSON object (≤ ${METADATA_MAX_BYTES} bytes as stored, nesting ≤ ${METADATA_MAX_DEPTH} levels, keys ≤ 100 characters)`,
  ),
  department: text()
    .trim()
    .min(1)
    .max(80)
    .optional()
    .describe("Department (assignment group): a team slug, a team name, or a short name such as IT or HR, as GET /api/departments lists them; wins over the triage's team"),
});
export type WebhookTicketInput = z.output<typeof WebhookTicketSchema>;

/**
 * The 201 answer of POST /api/webhook/ticket: seed 001's fields plus `category`, `priority`,
 * `needs_review`, `fallback` and `links`. Times are ISO-8601 UTC.
 */
export interface WebhookTicketAnswer {
  /** Our ticket key, e.g. `T-123` (GET /api/tickets/T-123). */
  ticket_id: string;
  title: string;
  /** Ticket status (`new` on creation). */
  status: string;
  /** Name of the team (department, assignment group) the ticket landed on; null when none. */
  department: string | null;
  /** The assignee's e-mail when someone is assigned, else the team slug; null when neither. */
  assigned_to: string | null;
  /** Kind (jira, freshservice, slack, webhook) of the first active target of the team that takes this priority; null when none. */
  routed_to_system: string | null;
  /** Always null here: pushes run as jobs after the answer; GET /api/tickets/{key} shows the external ids later. */
  external_ticket_id: string | null;
  /** Triage confidence in the category, 0–1. */
  confidence_score: number;
  /** Null, or the note that the ticket went to the general queue because the triage was unsure. */
  error_message: string | null;
  created_at: string;
  updated_at: string;
  category: string;
  priority: Priority;
  /** True when an agent should confirm the triage (low confidence). */
  needs_review: boolean;
  /** True when low confidence sent the ticket to the general service-desk queue. */
  fallback: boolean;
  links: { self: string };
}
