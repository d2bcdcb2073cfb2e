import type { z } from "zod";
import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateCalendarSchema, CreatePolicySchema, HolidaySchema, IcsImportSchema, UpdateCalendarSchema, UpdatePolicySchema } from "./schemas";

type JsonSchema = Record<string, unknown>;

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const dayParam = { name: "day", in: "path", required: true, schema: { type: "string", format: "date" } };

/**
 * OpenAPI path items of the SLA admin API (/api/sla/policies, /api/sla/calendars and their
 * holidays), generated from the zod schemas the route handlers parse with. Spread into the
 * `paths` of lib/http/openapi.ts.
 */
export function slaAdminOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/sla/policies": {
      get: { summary: "SLA policies by priority, then name (admins)", responses: { ...h.ok("{items: Policy[]}"), ...h.errors(401, 403) } },
      post: {
        summary: "Create an SLA policy (admins)",
        description:
          "Targets are business seconds on the policy's calendar. The most specific active policy matching a ticket's priority, category, team and requester domain applies. A 409 has details.reason duplicate_name or duplicate_scope.",
        requestBody: requestBody(CreatePolicySchema),
        responses: { ...h.ok("Policy", "201"), ...h.errors(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    "/api/sla/policies/{id}": {
      get: { summary: "An SLA policy (admins)", parameters: [idParam], responses: { ...h.ok("Policy"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Change an SLA policy (admins)",
        description: "Any subset; null clears a narrowing field or nextResponseS. Tickets pick up changed targets when their SLA is next recomputed (e.g. a priority change); new tickets at once.",
        parameters: [idParam],
        requestBody: requestBody(UpdatePolicySchema),
        responses: { ...h.ok("Policy"), ...h.errors(400, 401, 403, 404, 409, 413, 415, 422) },
      },
      delete: { summary: "Delete an SLA policy (admins)", parameters: [idParam], responses: { "204": { description: "Deleted" }, ...h.errors(401, 403, 404) } },
    },
    "/api/sla/calendars": {
      get: { summary: "Business calendars by name, with holiday and policy counts (admins)", responses: { ...h.ok("{items: Calendar[]}"), ...h.errors(401, 403) } },
      post: {
        summary: "Create a business calendar (admins)",
        description: 'hours: ISO weekday "1".."7" → [{start: "HH:MM", end: "HH:MM"}], split shifts allowed, no overlaps; a calendar that is not 24×7 needs working time.',
        requestBody: requestBody(CreateCalendarSchema),
        responses: { ...h.ok("Calendar", "201"), ...h.errors(400, 401, 403, 409, 413, 415) },
      },
    },
    "/api/sla/calendars/{id}": {
      get: { summary: "A business calendar (admins)", parameters: [idParam], responses: { ...h.ok("Calendar"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Change a business calendar (admins)",
        parameters: [idParam],
        requestBody: requestBody(UpdateCalendarSchema),
        responses: { ...h.ok("Calendar"), ...h.errors(400, 401, 403, 404, 409, 413, 415) },
      },
      delete: {
        summary: "Delete a business calendar and its holidays (admins); 409 calendar_in_use while a policy uses it",
        parameters: [idParam],
        responses: { "204": { description: "Deleted" }, ...h.errors(401, 403, 404, 409) },
      },
    },
    "/api/sla/calendars/{id}/holidays": {
      get: { summary: "A calendar's holidays by day (admins)", parameters: [idParam], responses: { ...h.ok("{items: [{day, name}]}"), ...h.errors(401, 403, 404) } },
      post: {
        summary: "Add or rename a holiday (upsert by day; admins)",
        parameters: [idParam],
        requestBody: requestBody(HolidaySchema),
        responses: { ...h.ok("{day, name, added}", "201"), ...h.errors(400, 401, 403, 404, 413, 415) },
      },
    },
    "/api/sla/calendars/{id}/holidays/{day}": {
      delete: { summary: "Remove a holiday (admins)", parameters: [idParam, dayParam], responses: { "204": { description: "Deleted" }, ...h.errors(401, 403, 404) } },
    },
    "/api/sla/calendars/{id}/holidays/import": {
      post: {
        summary: "Import holidays from an iCalendar (.ics) file, merging by day (admins)",
        description:
          "Body: the file as text/calendar, or JSON {ics}; at most 1 MB. All-day events give each day they cover, timed events their local start date, yearly recurrences are expanded for the next 3 years; other events are listed in `skipped` with a reason.",
        parameters: [idParam],
        requestBody: {
          required: true,
          content: { "text/calendar": { schema: { type: "string" } }, "application/json": { schema: h.body(IcsImportSchema) } },
        },
        responses: { ...h.ok("{added, updated, holidays: [{day, name}], skipped: [{name, reason}]}"), ...h.errors(400, 401, 403, 404, 413, 415) },
      },
    },
  };
}
