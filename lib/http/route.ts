import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import type { Role } from "@/db/schema";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { principalFromRequest } from "@/lib/auth/session";
import { clientIp } from "@/lib/http/client-ip";
import { logger } from "@/lib/observability/logger";
import { observeRoute } from "@/lib/observability/metrics";
import { requestIdFrom, withRequestId } from "@/lib/observability/request-context";
import type { RateClass, RouteScope } from "@/lib/auth/scopes";
import { consume, rateClassLimit, rateLimitHeaders, type RateLimitOptions } from "@/lib/rate-limit";
import { readJsonBody, MAX_JSON_BODY_BYTES } from "./body";
import { ApiError, fromDatabaseError, type ErrorBody } from "./errors";
import { explainRepeatedParams, searchParamsToObject, type QueryValue } from "./query";

/**
 * Who may call a route: `public` (anyone), `signed-in` (any principal), or the minimum
 * role (`requester` < `agent` < `admin`).
 */
export type AuthRule = "public" | "signed-in" | Role;

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<Q, B, P> {
  req: NextRequest;
  params: P;
  query: Q;
  body: B;
  /** Null only on `public` routes called anonymously. */
  principal: Principal | null;
}

export interface RouteConfig<QS extends Schema | undefined, BS extends Schema | undefined> {
  auth: AuthRule;
  query?: QS;
  body?: BS;
  /** Body byte limit; default 64 KB. */
  maxBodyBytes?: number;
  /**
   * Shared rate limit (counted in PostgreSQL across instances) per caller: the principal when
   * signed in, else the client IP. Over the limit → 429 with `Retry-After`; every limited
   * response carries `RateLimit-Limit`/`-Remaining`/`-Reset`.
   */
  rateLimit?: RateLimitOptions & { name: string };
  /**
   * The API-key scope this route needs (lib/auth/scopes.ts); `none` only on public routes.
   * Every route declares one (tests/security/route-scopes.test.ts).
   */
  scope: RouteScope;
  /**
   * Rate-limit class; default `read` for GET, `write` for other methods. `exempt` only for the
   * operational probes (health, readiness, metrics): polled by load balancers and Prometheus,
   * they must answer while the database that holds the counters is down.
   */
  rateClass?: RateClass | "exempt";
  /** OpenAPI metadata: the document at /api/openapi.json is generated from route configs. */
  openapi?: RouteOpenApi;
}

/** What a route tells the OpenAPI document beyond its auth, scope, query and body. */
export interface RouteOpenApi {
  summary: string;
  description?: string;
  tags?: string[];
  /** Success status (default 200). */
  status?: number;
  /** Schema of the success body (zod), checked against real responses by tests. */
  response?: z.ZodType;
  /** Example request body. */
  requestExample?: unknown;
  /** Example success body. */
  responseExample?: unknown;
  /** Path parameters' descriptions, by name. */
  params?: Record<string, string>;
}

/** A route handler built by {@link route}, carrying its config for OpenAPI and the route tests. */
export type RouteHandler = NextHandler & { routeConfig: RouteConfig<Schema | undefined, Schema | undefined> };

type NextHandler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>;

/**
 * The one wrapper for route handlers: authenticate (session cookie or API key) → check the
 * role → parse query and JSON body with zod (query keys given once are strings, repeated keys
 * arrays: list fields built with `listParam` accept both, any other field repeated is a 400) → run the handler → map errors to
 * `{error: {code, message, details}}` with the right status. Handlers just return data
 * (200) or a Response, and throw {@link ApiError}s; database constraint violations become
 * 4xx, anything unexpected a logged 500 without internals.
 */
export function route<P extends Record<string, string> = Record<string, never>, QS extends Schema | undefined = undefined, BS extends Schema | undefined = undefined>(
  config: RouteConfig<QS, BS>,
  handler: (ctx: RouteContext<Out<QS>, Out<BS>, P>) => Promise<unknown>,
): RouteHandler {
  const wrapped: NextHandler = (req, ctx) => {
    const requestId = requestIdFrom(req.headers.get("x-request-id"));
    const t0 = performance.now();
    return withRequestId(requestId, async () => {
      const res = await run(req, ctx);
      res.headers.set("X-Request-Id", requestId);
      observeRoute(req.method, routeLabel(req.nextUrl.pathname, (await ctx?.params) ?? {}), res.status, performance.now() - t0);
      return res;
    });
  };
  const run: NextHandler = async (req, ctx) => {
    try {
      const principal = config.auth === "public" && !req.headers.get("authorization") && !req.cookies.size
        ? null
        : await principalFromRequest(req);
      // Every route is limited per caller (API key, user, else client IP) by its class, before
      // the role check, so failed keys are limited per IP too.
      const who = principal ? `p:${principal.kind}:${principal.id}` : `ip:${clientIp(req.headers)}`;
      const rateClass = config.rateClass ?? (req.method === "GET" || req.method === "HEAD" ? "read" : "write");
      const classResult = rateClass === "exempt" ? null : await consume(`class:${rateClass}:${who}`, rateClassLimit(rateClass));
      let limitHeaders: Record<string, string> = classResult ? rateLimitHeaders(classResult) : {};
      if (classResult && !classResult.ok) {
        throw new ApiError("rate_limited", `Too many requests; try again in ${classResult.retryAfterS} s`, { retryAfterS: classResult.retryAfterS, class: rateClass }, limitHeaders);
      }
      if (config.auth !== "public") {
        if (!principal) throw new ApiError("unauthorized", "Sign in or send an API key (Authorization: Bearer <key>)", undefined, limitHeaders);
        if (config.auth !== "signed-in" && !hasRole(principal, config.auth)) {
          throw new ApiError("forbidden", `This action needs the ${config.auth} role`, undefined, limitHeaders);
        }
      }
      if (principal?.kind === "api_key" && config.scope !== "none" && !principal.scopes?.includes(config.scope)) {
        throw new ApiError("insufficient_scope", `This API key lacks the ${config.scope} scope`, { required: config.scope, granted: principal.scopes ?? [] }, limitHeaders);
      }
      if (config.rateLimit) {
        const r = await consume(`${config.rateLimit.name}:${who}`, config.rateLimit);
        // The tighter of the two limits is what the caller sees.
        if (!classResult || r.remaining < classResult.remaining || !r.ok) limitHeaders = rateLimitHeaders(r);
        if (!r.ok) {
          throw new ApiError("rate_limited", `Too many requests; try again in ${r.retryAfterS} s`, { retryAfterS: r.retryAfterS }, limitHeaders);
        }
      }
      const params = ((await ctx?.params) ?? {}) as P;
      const query = config.query ? parseWith(config.query, searchParamsToObject(req.nextUrl.searchParams), "query") : undefined;
      const body = config.body
        ? parseWith(config.body, await readJsonBody(req, config.maxBodyBytes ?? MAX_JSON_BODY_BYTES), "body")
        : undefined;
      const result = await handler({ req, params, query: query as Out<QS>, body: body as Out<BS>, principal });
      const res = result instanceof Response ? result : NextResponse.json(result ?? null);
      for (const [k, v] of Object.entries(limitHeaders)) res.headers.set(k, v);
      return res;
    } catch (err) {
      return errorResponse(err, req);
    }
  };
  return Object.assign(wrapped, { routeConfig: config as RouteConfig<Schema | undefined, Schema | undefined> });
}

/**
 * The route's path template for metrics labels: each path parameter's value replaced by
 * `[name]` (`/api/tickets/SB-12/comments` → `/api/tickets/[key]/comments`), so label
 * cardinality stays bounded by the number of routes.
 */
export function routeLabel(pathname: string, params: Record<string, string | string[] | undefined>): string {
  const segments = pathname.split("/");
  for (const [name, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const v of values) {
      const i = segments.findIndex((s) => s === v || safeDecode(s) === v);
      if (i > 0) segments[i] = `[${name}]`;
    }
  }
  return segments.join("/");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A JSON response with a status (e.g. 201 Created). */
export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return NextResponse.json(data, { status, headers });
}

function parseWith<S extends Schema>(schema: S, input: unknown, where: "query" | "body"): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.join("."),
      code: i.code as string,
      message: i.message,
      ...("keys" in i ? { keys: i.keys } : {}),
    }));
    throw new ApiError("validation_error", `The request ${where} is invalid`, {
      issues: where === "query" ? explainRepeatedParams(issues, input as Record<string, QueryValue>) : issues,
    });
  }
  return parsed.data;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "[unparsable url]";
  }
}

/** Turn any thrown value into the error response shape. */
export function errorResponse(err: unknown, req?: Request): Response {
  const apiErr = err instanceof ApiError ? err : fromDatabaseError(err);
  if (apiErr) {
    const body: ErrorBody = { error: { code: apiErr.code, message: apiErr.message, details: apiErr.details } };
    return NextResponse.json(body, { status: apiErr.status, headers: apiErr.headers });
  }
  // The path only: a query string can hold search text or e-mails. `err` goes through the
  // logger's redacting serializer (no SQL parameters, no driver detail, no e-mails).
  logger.error({ err, method: req?.method, path: req ? safePath(req.url) : undefined }, "unhandled error in route handler");
  const body: ErrorBody = {
    error: { code: "internal_error", message: "Something went wrong on our side; it has been logged", details: null },
  };
  return NextResponse.json(body, { status: 500 });
}
