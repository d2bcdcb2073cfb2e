import { z } from "zod";
import pkg from "@/package.json" with { type: "json" };
import { generatedComponents, generatePaths } from "@/lib/http/openapi-generate";
import { ROUTE_MODULES } from "@/lib/http/route-registry.generated";
import {
  ClassifySchema,
  CreateCommentSchema,
  CreateTicketSchema,
  ListTicketsQuerySchema,
  StatsQuerySchema,
  UpdateTicketSchema,
} from "@/lib/tickets/schemas";
import { ruleSetOpenApiPaths } from "@/lib/files/compliance/openapi";
import { employeeOpenApiPaths } from "@/lib/routing/employees/openapi";
import { webhookOpenApiPaths } from "@/lib/integrations/openapi";
import { inboundEmailOpenApiPaths } from "@/lib/mail/inbound/openapi";
import { mailAdminOpenApiPaths } from "@/lib/mail/admin/openapi";
import { odataOpenApiPaths } from "@/lib/odata/openapi";
import { routingOpenApiPaths } from "@/lib/routing/targets/openapi";
import { slaAdminOpenApiPaths } from "@/lib/sla/admin/openapi";
import { watcherOpenApiPaths } from "@/lib/tickets/watchers-openapi";
import { viewOpenApiPaths } from "@/lib/workspace/openapi";
import { bulkOpenApiPaths } from "@/lib/tickets/bulk-openapi";
import { macroOpenApiPaths } from "@/lib/macros/openapi";
import { portalOpenApiPaths } from "@/lib/portal/openapi";
import { slaStatsOpenApiPaths } from "@/lib/sla/stats-openapi";
import { dashboardOpenApiPaths } from "@/lib/dashboard/openapi";
import { assistantOpenApiPaths } from "@/lib/assistant/openapi";

import { CreateUploadSchema, FindingsQuerySchema, ListUploadsQuerySchema, ReportQuerySchema } from "@/lib/files/uploads/schemas";

type JsonSchema = Record<string, unknown>;

const body = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;

/** Query parameters of an object schema as OpenAPI parameter objects. */
function queryParams(schema: z.ZodType): JsonSchema[] {
  const js = body(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: js.required?.includes(name) ?? false,
    schema: s,
    description: (s.description as string | undefined) ?? undefined,
  }));
}

const errorResponse = {
  description: "Error",
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "message", "details"],
            properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
          },
        },
      },
    },
  },
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), errorResponse]));
const ok = (description: string, status = "200") => ({ [status]: { description, content: { "application/json": { schema: { type: "object" } } } } });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const keyParam = { name: "key", in: "path", required: true, schema: { type: "string", pattern: "^T-[1-9][0-9]*$" } };

/**
 * Hand-written per-domain path fragments (rich summaries, descriptions, extra statuses). They are
 * merged over the document generated from the route() configs (see {@link openApiDocument});
 * a route missing here is still documented from its config.
 */
export function fragmentDocument(): JsonSchema {
  return {
    openapi: "3.1.0",
    info: { title: "Switchboard API", version: pkg.version, description: "AI service desk: tickets, triage, stats." },
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "API key created with `npm run apikey:create`" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    security: [{ apiKey: [] }, { session: [] }],
    paths: {
      "/api/tickets": {
        get: {
          summary: "List tickets (sort=created|updated|priority|due; cursor = next page, before = previous page; filter by SLA state, tag, myTeams)",
          description:
            "`q` searches titles and descriptions (web-search syntax: words ANDed, \"quoted phrases\", -exclusions), tolerates typos in plain words (each unknown or rare word is ORed with its closest vocabulary words), and also matches tickets of requesters whose e-mail contains `q` or whose name is close to it; newest first. With `q`, each item carries `highlight: {title, snippet}`: the title and a description excerpt (null when the description has no match) with every match between U+0001 and U+0002 — plain text, not HTML.",
          parameters: queryParams(ListTicketsQuerySchema),
          responses: { ...ok("{items, nextCursor, prevCursor}; with q, items carry highlight"), ...errors(400, 401) },
        },
        post: {
          summary: "File a ticket; returns it with the triage result",
          description:
            "Optional `Idempotency-Key` header (1–255 printable ASCII): a repeat with the same body within 24 h returns the first answer with `Idempotent-Replayed: true` and creates nothing; the same key with another body is 409 `idempotency_conflict`. Retry a 503 or a timed-out request with the same key.",
          parameters: [
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" } },
          ],
          requestBody: { required: true, content: { "application/json": { schema: body(CreateTicketSchema) } } },
          responses: { ...ok("{ticket, triage}", "201"), ...errors(400, 401, 403, 409, 413, 415, 422, 503) },
        },
      },
      "/api/tickets/classify": {
        post: {
          summary: "Suggest category, priority and team without writing",
          requestBody: { required: true, content: { "application/json": { schema: body(ClassifySchema) } } },
          description: "Limited to 60 calls a minute per caller: 429 with Retry-After and RateLimit-* headers.",
          responses: { ...ok("suggestion"), ...errors(400, 401, 413, 415, 429) },
        },
      },
      "/api/tickets/stats": {
        get: { summary: "Ticket statistics for a UTC day range", parameters: queryParams(StatsQuerySchema), responses: { ...ok("stats"), ...errors(400, 401, 403) } },
      },
      "/api/tickets/{key}": {
        get: { summary: "A ticket with comments, history and triage", parameters: [keyParam], responses: { ...ok("{ticket, comments, history, triage}"), ...errors(401, 404) } },
        patch: {
          summary: "Change status, priority, category, team, assignee or resolution (agents)",
          parameters: [keyParam],
          requestBody: { required: true, content: { "application/json": { schema: body(UpdateTicketSchema) } } },
          responses: { ...ok("{ticket}"), ...errors(400, 401, 403, 404, 409, 422) },
        },
      },
      "/api/tickets/{key}/comments": {
        post: {
          summary: "Add a public reply or internal note; agents may set the status in the same transaction (send and set status)",
          parameters: [keyParam],
          requestBody: { required: true, content: { "application/json": { schema: body(CreateCommentSchema) } } },
          responses: { ...ok("{comment, ticket}", "201"), ...errors(400, 401, 403, 404, 409, 422) },
        },
      },
      ...watcherOpenApiPaths({ body, queryParams, ok, errors }),
      ...viewOpenApiPaths({ body, queryParams, ok, errors }),
      ...bulkOpenApiPaths({ body, queryParams, ok, errors }),
      ...macroOpenApiPaths({ body, queryParams, ok, errors }),
      ...portalOpenApiPaths({ body, queryParams, ok, errors }),
      ...ruleSetOpenApiPaths({ body, queryParams, ok, errors }),
      ...employeeOpenApiPaths({ body, queryParams, ok, errors }),
      ...webhookOpenApiPaths({ body, queryParams, ok, errors }),
      ...inboundEmailOpenApiPaths({ body, queryParams, ok, errors }),
      ...routingOpenApiPaths({ body, queryParams, ok, errors }),
      ...mailAdminOpenApiPaths({ body, queryParams, ok, errors }),
      ...odataOpenApiPaths({ body, queryParams, ok, errors }),
      ...slaStatsOpenApiPaths({ body, queryParams, ok, errors }),
      ...dashboardOpenApiPaths({ body, queryParams, ok, errors }),
      ...slaAdminOpenApiPaths({ body, queryParams, ok, errors }),
      ...assistantOpenApiPaths({ body, queryParams, ok, errors }),
      "/api/uploads": {
        get: { summary: "Recent uploads (own; agents see every sheet)", parameters: queryParams(ListUploadsQuerySchema), responses: { ...ok("{items: Upload[]}"), ...errors(400, 401) } },
        post: {
          summary: "Ask for a presigned PUT URL for a file (attachment, serial, compliance or employee sheet)",
          description: "PUT the bytes to `url` with `headers` (bound to the content type and exact size, valid 15 min), then POST /api/uploads/{id}/complete.",
          requestBody: { required: true, content: { "application/json": { schema: body(CreateUploadSchema) } } },
          responses: { ...ok("{id, url, method, headers, expiresAt}", "201"), ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
        },
      },
      "/api/uploads/{id}": {
        get: { summary: "An upload: status, progress 0–1, error, summary", parameters: [idParam], responses: { ...ok("Upload"), ...errors(401, 404) } },
        delete: {
          summary: "Delete an attachment not on a ticket, or a pending/failed upload (uploader or admin)",
          parameters: [idParam],
          responses: { "204": { description: "Deleted" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/api/uploads/{id}/complete": {
        post: {
          summary: "Check the stored object (size, type, content); attach it (200) or queue its processing (202)",
          parameters: [idParam],
          responses: { ...ok("{upload}"), ...ok("{upload}", "202"), ...errors(401, 403, 404, 409, 413, 415, 422) },
        },
      },
      "/api/uploads/{id}/findings": {
        get: { summary: "Findings of a processed sheet, paged, in file order", parameters: [idParam, ...queryParams(FindingsQuerySchema)], responses: { ...ok("{items, nextCursor, total}"), ...errors(400, 401, 404) } },
      },
      "/api/uploads/{id}/report": {
        get: {
          summary: "The findings report as xlsx or csv (cells starting with = + - @ neutralised)",
          parameters: [idParam, ...queryParams(ReportQuerySchema)],
          responses: { "200": { description: "The report file" }, ...errors(400, 401, 404, 409, 422) },
        },
      },
      "/api/uploads/{id}/download": {
        get: { summary: "Redirect (302) to a presigned GET of the file, valid 5 min", parameters: [idParam], responses: { "302": { description: "Location: presigned URL" }, ...errors(401, 404, 409) } },
      },
      "/api/health": { get: { summary: "Health", security: [], responses: { ...ok("{status, version, checks}"), "503": { description: "Degraded" } } } },
    },
  };
}

type Operation = Record<string, unknown> & { responses?: Record<string, JsonSchema>; summary?: string; description?: string };

/** Merge a hand-written fragment operation over a generated one (summary, description, extra statuses). */
function mergeOperation(base: Operation, frag: Operation | undefined): Operation {
  if (!frag) return base;
  const out: Operation = { ...base };
  if (frag.summary) out.summary = frag.summary;
  if (frag.description) out.description = [frag.description, base.description].filter(Boolean).join("\n\n");
  const responses = { ...(base.responses ?? {}) };
  for (const [status, r] of Object.entries(frag.responses ?? {})) {
    if (!(status in responses)) responses[status] = r;
    else if (r && typeof r.description === "string" && r.description !== "Error" && /^2/.test(status)) {
      responses[status] = { ...responses[status], description: r.description };
    }
  }
  out.responses = responses;
  // Parameters the config cannot express (headers such as Idempotency-Key): the union by (in, name).
  const baseParams = (base.parameters as { name: string; in: string }[] | undefined) ?? [];
  const extra = ((frag.parameters as { name: string; in: string }[] | undefined) ?? []).filter((fp) => !baseParams.some((bp) => bp.name === fp.name && bp.in === fp.in));
  if (baseParams.length || extra.length) out.parameters = [...baseParams, ...extra];
  // Request bodies the config cannot express (raw MIME, CSV uploads): the fragment's media types,
  // each replaced by the generated one (zod schema with example) where both exist.
  const fragBody = frag.requestBody as { content?: Record<string, unknown> } | undefined;
  if (fragBody?.content) {
    const baseBody = base.requestBody as { content?: Record<string, unknown> } | undefined;
    const content: Record<string, unknown> = {};
    for (const [type, media] of Object.entries(fragBody.content)) content[type] = baseBody?.content?.[type] ?? media;
    for (const [type, media] of Object.entries(baseBody?.content ?? {})) content[type] ??= media;
    out.requestBody = { ...fragBody, ...(baseBody ?? {}), content };
  }
  return out;
}

/**
 * The OpenAPI 3.1 document of the JSON API, generated from every route file's route() config
 * (lib/http/route-registry.generated.ts lists them all: auth → security and 401/403, scope →
 * x-required-scope, query/body zod schemas → parameters and request bodies, rate class → 429)
 * with response schemas from lib/http/openapi-responses.ts and the hand-written fragments merged
 * over it. Paths the fragments name that no route file serves are dropped.
 */
export function openApiDocument(): JsonSchema {
  const frag = fragmentDocument() as { paths: Record<string, Record<string, Operation>> };
  const { paths } = generatePaths(ROUTE_MODULES);
  const merged: Record<string, Record<string, Operation>> = {};
  for (const [p, ops] of Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))) {
    merged[p] = {};
    for (const [m, op] of Object.entries(ops)) merged[p][m] = mergeOperation(op as Operation, frag.paths[p]?.[m]);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version: pkg.version,
      description:
        "AI service desk: tickets, triage, routing, SLA. Authenticate with an API key (`Authorization: Bearer …`, each key holds scopes) or a browser session. Every route is rate limited per caller unless noted (429 with Retry-After and RateLimit-* headers). Errors are `{error: {code, message, details}}`.",
    },
    servers: [{ url: "/" }],
    components: generatedComponents(),
    security: [{ apiKey: [] }, { session: [] }],
    paths: merged,
  };
}
