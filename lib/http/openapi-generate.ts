import { z } from "zod";
import type { RouteConfig, RouteHandler, RouteOpenApi } from "@/lib/http/route";
import { RESPONSE_META, ErrorBodySchema } from "@/lib/http/openapi-responses";

/*
 * Builds OpenAPI path items from the route() configs themselves: every exported method handler
 * of every route module in the registry (lib/http/route-registry.generated.ts) becomes an
 * operation, so no route can be missing from the document. Handlers outside route() are
 * documented from OUTSIDE_ROUTE below, or listed in EXCLUDED with the reason.
 */

type JsonSchema = Record<string, unknown>;
/** HTTP methods a route file may export that the document covers. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Route files left out of the document on purpose, with the reason (asserted by tests/api/openapi.test.ts). */
export const EXCLUDED: Record<string, string> = {
  "auth/[...nextauth]": "next-auth's own sign-in/callback/session endpoints (browser flow, not an API)",
  "test/clock": "test-only clock control, answers 404 unless the test clock is enabled",
};

/** Handlers outside route() that are still part of the API, documented by hand. */
const OUTSIDE_ROUTE: Record<string, { auth: "public"; openapi: RouteOpenApi; contentType?: string }> = {
  "GET /api/openapi.json": { auth: "public", openapi: { summary: "This OpenAPI 3.1 document", tags: ["operations"] } },
  "GET /api/metrics": {
    auth: "public",
    contentType: "text/plain",
    openapi: {
      summary: "Prometheus metrics (text exposition format)",
      description: "Allowed from loopback or with `Authorization: Bearer <METRICS_TOKEN>`; 401/403 otherwise. Not rate limited; answers while the database is down.",
      tags: ["operations"],
    },
  },
};

/** JSON Schema of a zod schema; `io` input for what the server accepts, output for what it sends. */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const js = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete js.$schema;
  return js;
}

/** Query parameters of an object schema as OpenAPI parameter objects. */
export function queryParameters(schema: z.ZodType): JsonSchema[] {
  const js = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const p: JsonSchema = { name, in: "query", required: js.required?.includes(name) ?? false, schema: s };
    if (typeof s.description === "string") p.description = s.description;
    return p;
  });
}

/** `tickets/[key]/links/[other]` → `/api/tickets/{key}/links/{other}`. */
export function openApiPath(dir: string): string {
  return "/api/" + dir.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}");
}

const pathParamNames = (dir: string): string[] => [...dir.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]);

const PARAM_SCHEMAS: Record<string, JsonSchema> = {
  key: { type: "string", pattern: "^T-[1-9][0-9]*$", examples: ["T-42"] },
  other: { type: "string", pattern: "^T-[1-9][0-9]*$", examples: ["T-43"] },
  id: { type: "string" },
  slug: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,39}$" },
  day: { type: "string", format: "date" },
};

const RATE_HEADERS = {
  "RateLimit-Limit": { description: "Requests allowed in the window", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the window", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets", schema: { type: "integer" } },
};

const errorRef = (description: string): JsonSchema => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** Standard error responses of a route from its config. */
function errorResponses(cfg: Pick<RouteConfig<undefined, undefined>, "auth" | "scope" | "rateClass">, hasInput: boolean): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  if (hasInput) out["400"] = errorRef("invalid_json or validation_error (details lists the fields)");
  if (cfg.auth !== "public") {
    out["401"] = errorRef("unauthorized: no valid session or API key");
    out["403"] = errorRef(
      cfg.auth === "requester" || cfg.auth === "signed-in"
        ? `forbidden, or insufficient_scope (API key without ${cfg.scope})`
        : `forbidden (needs role ${cfg.auth}), or insufficient_scope (API key without ${cfg.scope})`,
    );
  }
  if (cfg.rateClass !== "exempt") {
    out["429"] = {
      ...errorRef("rate_limited: too many requests from this caller"),
      headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } }, ...RATE_HEADERS },
    };
  }
  return out;
}

function security(auth: string): JsonSchema[] {
  return auth === "public" ? [] : [{ apiKey: [] }, { session: [] }];
}

/** One operation object from a route config. */
export function operationFor(dir: string, method: HttpMethod, cfg: RouteConfig<z.ZodType | undefined, z.ZodType | undefined>): JsonSchema {
  const key = `${method} ${openApiPath(dir)}`;
  const meta = { ...(cfg.openapi ?? {}), ...(RESPONSE_META[key] ?? {}) } as Partial<RouteOpenApi> & { contentType?: string };
  const summary = meta.summary ?? cfg.openapi?.summary ?? key;
  const scopeLine =
    cfg.auth === "public" ? "Public: no authentication." : `Auth: ${cfg.auth}. API keys need the \`${cfg.scope}\` scope.`;
  const parameters: JsonSchema[] = pathParamNames(dir).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: PARAM_SCHEMAS[name] ?? { type: "string" },
    ...(meta.params?.[name] ? { description: meta.params[name] } : {}),
  }));
  if (cfg.query) parameters.push(...queryParameters(cfg.query));
  const status = String(meta.status ?? (method === "POST" ? 200 : 200));
  const success: JsonSchema = { description: meta.description?.split("\n")[0] ?? summary };
  if (meta.contentType) {
    success.content = { [meta.contentType]: { schema: meta.contentType.startsWith("application/json") ? { type: "object" } : { type: "string" } } };
  } else if (status !== "204" && !status.startsWith("3")) {
    const schema = meta.response ? jsonSchema(meta.response, "output") : { type: "object" };
    success.content = { "application/json": { schema, ...(meta.responseExample !== undefined ? { example: meta.responseExample } : {}) } };
  }
  if (cfg.rateClass !== "exempt") success.headers = RATE_HEADERS;
  const op: JsonSchema = {
    operationId: `${method.toLowerCase()}_${dir.replace(/[^a-zA-Z0-9]+/g, "_").replace(/_+$/, "")}`,
    summary,
    description: [meta.description, scopeLine, cfg.rateClass === "exempt" ? "Not rate limited." : `Rate limited (class ${cfg.rateClass ?? (method === "GET" ? "read" : "write")}).`]
      .filter(Boolean)
      .join("\n\n"),
    tags: meta.tags ?? [dir.split("/")[0] === "admin" ? "admin" : dir.split("/")[0]],
    security: security(cfg.auth),
    "x-required-scope": cfg.scope,
    "x-auth": cfg.auth,
    responses: { [status]: success, ...errorResponses(cfg, Boolean(cfg.query || cfg.body)) },
  };
  if (parameters.length) op.parameters = parameters;
  if (cfg.body) {
    op.requestBody = {
      required: true,
      content: {
        "application/json": {
          schema: jsonSchema(cfg.body, "input"),
          ...(meta.requestExample !== undefined ? { example: meta.requestExample } : {}),
        },
      },
    };
  }
  return op;
}

/** Generated paths plus the list of (dir, method) handlers that are neither wrapped nor documented. */
export function generatePaths(modules: Record<string, Record<string, unknown>>): { paths: Record<string, Record<string, JsonSchema>>; undocumented: string[] } {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const undocumented: string[] = [];
  for (const [dir, mod] of Object.entries(modules)) {
    if (dir in EXCLUDED) continue;
    for (const method of HTTP_METHODS) {
      const h = mod[method];
      if (typeof h !== "function") continue;
      const p = openApiPath(dir);
      const cfg = (h as Partial<RouteHandler>).routeConfig;
      const outside = OUTSIDE_ROUTE[`${method} ${p}`];
      let op: JsonSchema;
      if (cfg) op = operationFor(dir, method, cfg);
      else if (outside) {
        op = operationFor(dir, method, { auth: "public", scope: "none", rateClass: "exempt", openapi: outside.openapi });
        if (outside.contentType) {
          const ok = (op.responses as Record<string, JsonSchema>)["200"];
          ok.content = { [outside.contentType]: { schema: { type: "string" } } };
        }
      } else {
        undocumented.push(`${method} ${p}`);
        continue;
      }
      (paths[p] ??= {})[method.toLowerCase()] = op;
    }
  }
  return { paths, undocumented };
}

/** Components shared by every generated operation. */
export function generatedComponents(): JsonSchema {
  return {
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer", description: "API key created with `npm run apikey:create` or in /admin; each key holds scopes" },
      session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "Browser session (sign in at /sign-in)" },
    },
    schemas: { Error: jsonSchema(ErrorBodySchema, "output") },
  };
}
