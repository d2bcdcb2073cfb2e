import { z } from "zod";
import { PRIORITIES, SOURCES, STATUSES } from "@/db/schema/enums";
import type { RouteOpenApi } from "@/lib/http/route";

/*
 * Response schemas (zod) and examples for the OpenAPI document, keyed by "METHOD /api/path".
 * They are merged over each route's own `openapi` config by lib/http/openapi-generate.ts, and
 * tests/api/openapi.test.ts checks real handler responses against them. Objects are loose
 * (extra fields allowed) so adding a field never breaks clients; the listed fields are required.
 */

/** The error body every route answers 4xx/5xx with. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe("Machine-readable code, e.g. validation_error, not_found, rate_limited"),
      message: z.string(),
      details: z.unknown().describe("Field errors for validation_error; limits for rate_limited; else null"),
    }),
  })
  .meta({ examples: [{ error: { code: "not_found", message: "Ticket T-9 not found", details: null } }] });

const Iso = z.string().describe("ISO 8601 instant");
const TicketKey = z.string().regex(/^T-[1-9][0-9]*$/);

/** A ticket as the API returns it (lib/tickets/dto.ts toTicketDTO). */
export const TicketResponseSchema = z.looseObject({
  key: TicketKey,
  title: z.string(),
  description: z.string(),
  email: z.string(),
  category: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  status: z.enum(STATUSES),
  waitingReason: z.string().nullable(),
  source: z.enum(SOURCES),
  team: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  resolution: z.string().nullable(),
  needsReview: z.boolean(),
  createdAt: Iso,
  updatedAt: Iso,
  sla: z.looseObject({}).nullable(),
});

const Alternative = z.object({ category: z.string(), confidence: z.number().min(0).max(1) });

/** POST /api/tickets/classify's suggestion. */
export const TriageSuggestionSchema = z.looseObject({
  category: z.string(),
  priority: z.string(),
  prioritySource: z.enum(["rules", "llm"]),
  team: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  alternatives: z.array(Alternative),
});

/** The triage result returned when filing a ticket. */
export const TriageResultSchema = z.looseObject({
  category: z.string(),
  priority: z.enum(PRIORITIES),
  team: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  needsReview: z.boolean(),
  overridden: z.unknown(),
});

const Duration = z.object({ count: z.number().int(), meanS: z.number().nullable(), p50S: z.number().nullable(), p90S: z.number().nullable() });
const Counts = z.record(z.string(), z.number().int());

const ticketExample = {
  key: "T-42",
  title: "VPN drops every 10 minutes",
  description: "Since this morning the VPN client disconnects every ten minutes.",
  email: "ana@example.com",
  category: "network",
  priority: "P2",
  status: "new",
  waitingReason: null,
  source: "api",
  team: "infra",
  assignee: null,
  module: null,
  project: null,
  metadata: {},
  resolution: null,
  needsReview: false,
  followUpOf: null,
  requesterVerified: true,
  createdAt: "2026-12-03T07:00:00.000Z",
  updatedAt: "2026-12-03T07:00:00.000Z",
  firstResponseAt: null,
  resolvedAt: null,
  closedAt: null,
  firstResponseS: null,
  resolutionS: null,
  sla: null,
};

/** Per-route OpenAPI overrides: response schemas, examples, status. */
export const RESPONSE_META: Record<string, Partial<RouteOpenApi>> = {
  "POST /api/tickets": {
    status: 201,
    description: "Returns the ticket and the triage suggestion (category, priority, team, confidence); `Location` names the new ticket.",
    response: z.object({ ticket: TicketResponseSchema, triage: TriageResultSchema }),
    requestExample: { title: "VPN drops every 10 minutes", description: "Since this morning the VPN client disconnects every ten minutes.", email: "ana@example.com" },
    responseExample: {
      ticket: ticketExample,
      triage: { category: "network", priority: "P2", team: "infra", confidence: 0.91, needsReview: false, overridden: [] },
    },
  },
  "GET /api/tickets": {
    response: z.looseObject({ items: z.array(TicketResponseSchema), nextCursor: z.string().nullable(), prevCursor: z.string().nullable() }),
    responseExample: { items: [ticketExample], nextCursor: null, prevCursor: null },
  },
  "GET /api/tickets/{key}": {
    params: { key: "Ticket key, e.g. T-42" },
    response: z.looseObject({
      ticket: TicketResponseSchema,
      comments: z.array(z.looseObject({})),
      history: z.array(z.looseObject({})),
      triage: z.looseObject({}).nullable(),
      externalLinks: z.array(z.looseObject({})),
    }),
  },
  "PATCH /api/tickets/{key}": {
    params: { key: "Ticket key, e.g. T-42" },
    response: z.object({ ticket: TicketResponseSchema }),
    requestExample: { status: "in_progress", priority: "P2" },
  },
  "POST /api/tickets/{key}/comments": {
    status: 201,
    params: { key: "Ticket key, e.g. T-42" },
    response: z.looseObject({
      comment: z.looseObject({ id: z.number().int(), body: z.string(), internal: z.boolean(), createdAt: Iso }),
      ticket: z.object({ key: TicketKey, status: z.enum(STATUSES), firstResponseAt: Iso.nullable() }),
    }),
    requestExample: { body: "We are looking into it.", internal: false },
  },
  "POST /api/tickets/classify": {
    response: TriageSuggestionSchema,
    requestExample: { title: "Printer jams", description: "The 3rd floor printer jams on every job since Monday." },
    responseExample: {
      category: "hardware",
      priority: "P3",
      prioritySource: "rules",
      team: "desk",
      confidence: 0.84,
      alternatives: [{ category: "facilities", confidence: 0.09 }],
      impact: "medium",
      urgency: "medium",
      similar: [],
    },
  },
  "GET /api/tickets/stats": {
    response: z.looseObject({
      range: z.object({ from: z.string(), to: z.string() }),
      total: z.number().int(),
      byStatus: Counts,
      byPriority: Counts,
      byCategory: Counts,
      byTeam: Counts,
      firstResponse: Duration,
      resolution: Duration,
      perDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
    }),
  },
  "GET /api/health": {
    description: "Anonymous callers get `{status}`; agents and admins also `version` and `uptimeS`.",
    response: z.object({ status: z.literal("ok"), version: z.string().optional(), uptimeS: z.number().optional() }),
    responseExample: { status: "ok" },
  },
  "GET /api/health/ready": {
    description: "503 with the same body when not ready. Anonymous callers get each check's status; admins and METRICS_TOKEN holders get details.",
    response: z.looseObject({
      status: z.enum(["ready", "not_ready"]),
      checks: z.record(z.string(), z.union([z.enum(["ok", "fail"]), z.looseObject({ status: z.enum(["ok", "fail"]) })])),
    }),
    responseExample: { status: "ready", checks: { startup: "ok", database: "ok", storage: "ok", queue: "ok", llm: "ok" } },
  },
};
