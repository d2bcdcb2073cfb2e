import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { z } from "zod";
import { rows, type Db } from "@/db/client";
import { clearApiKeyCache } from "@/lib/auth/api-keys";
import type { RouteHandler } from "@/lib/http/route";
import { ROUTE_MODULES } from "@/lib/http/route-registry.generated";
import { TestClockSchema } from "@/lib/sla/test-clock-schema";
import * as testClock from "@/app/api/test/clock/route";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call, type CallResult } from "../../helpers/http";

/*
 * Shared pieces of the hostile-JSON property tests (json-routes-*.test.ts): the JSON routes
 * taken from the generated route registry (every app/api/**\/route.ts), real entities for their
 * path parameters, one valid body per body route (created through the routes themselves, so a
 * stale payload fails loudly), and a database fingerprint to prove a 4xx wrote nothing.
 */

/** One route handler with a zod body or query schema, as found in the registry. */
export interface JsonRoute {
  /** Directory under app/api, e.g. `tickets/[key]/comments`. */
  route: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  handler: RouteHandler;
  /** The body schema (write routes) or the query schema (GET routes). */
  schema: z.ZodType;
}

/**
 * Every registry handler built with `route()` that declares a body schema (any method) or,
 * for GET, a query schema; sorted by route then method.
 */
export function jsonRoutes(kind: "body" | "query"): JsonRoute[] {
  const out: JsonRoute[] = [];
  for (const [route, mod] of Object.entries(ROUTE_MODULES)) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      const h = mod[method] as RouteHandler | undefined;
      const cfg = typeof h === "function" ? h.routeConfig : undefined;
      if (!cfg) continue;
      const schema = kind === "body" ? cfg.body : method === "GET" ? cfg.query : undefined;
      if (schema) out.push({ route, method, handler: h!, schema });
    }
  }
  return out;
}

/**
 * JSON body handlers outside `route()` (so missing from {@link jsonRoutes}) that still parse a zod
 * body: the env-gated SLA test clock (app/api/test/clock, 404 unless SWITCHBOARD_TEST_CLOCK=1;
 * the suite turns it on). Each carries the config its handler enforces, so the properties apply.
 */
export function gatedJsonRoutes(): JsonRoute[] {
  const handler = Object.assign((req: Parameters<RouteHandler>[0], ctx: Parameters<RouteHandler>[1]) => testClock.POST(req, ctx), {
    routeConfig: { auth: "admin", scope: "admin", body: TestClockSchema },
  }) as unknown as RouteHandler;
  return [{ route: "test/clock", method: "POST", handler, schema: TestClockSchema }];
}

/** Top-level property names of an object schema's input (empty for non-object schemas). */
export function schemaKeys(schema: z.ZodType): string[] {
  try {
    const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; anyOf?: { properties?: Record<string, unknown> }[] };
    const props = { ...(js.properties ?? {}) };
    for (const alt of js.anyOf ?? []) Object.assign(props, alt.properties ?? {});
    return Object.keys(props);
  } catch {
    return [];
  }
}

/** Entities the routes' path parameters point at, plus the actors. */
export interface Fixtures {
  admin: Actor;
  requester: Actor;
  /** Path parameter values by route directory (`[key]` → a ticket, `[id]` → that route's entity). */
  params: Record<string, Record<string, string>>;
  /** A valid body per `METHOD route`. */
  valid: Record<string, unknown>;
}

/** Routes a requester (the ticket's owner) calls: the admin is refused there by design. */
export const REQUESTER_ROUTES = new Set(["POST tickets/[key]/csat", "POST tickets/[key]/requester-status"]);

function firstId(body: unknown): string {
  if (body && typeof body === "object") {
    const o = body as Record<string, unknown>;
    if (typeof o.id === "string") return o.id;
    for (const v of Object.values(o)) {
      if (v && typeof v === "object" && typeof (v as Record<string, unknown>).id === "string") return (v as Record<string, string>).id;
    }
  }
  throw new Error(`no id in ${JSON.stringify(body).slice(0, 300)}`);
}

function handler(route: string, method: string): RouteHandler {
  const h = ROUTE_MODULES[route]?.[method] as RouteHandler | undefined;
  if (!h) throw new Error(`no ${method} ${route} in the route registry`);
  return h;
}

/** Call `METHOD route` with path params filled in; asserts a 2xx. */
async function create(route: string, method: string, key: string, body: unknown, params: Record<string, string> = {}): Promise<CallResult> {
  const path = `/api/${route.replace(/\[(\w+)\]/g, (_, n: string) => encodeURIComponent(params[n]))}`;
  const res = await call(handler(route, method), { method, path, params, key, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 500)}`).toBeLessThan(300);
  return res;
}

/**
 * Create the actors and one real entity per parameterised route (through the routes), and the
 * valid body of every body route. Every valid body is accepted by its route's schema.
 */
export async function makeFixtures(db: Db, tag: string): Promise<Fixtures> {
  const admin = await makeActor(db, `hostile-admin-${tag}@corp.test`, "admin");
  const requester = await makeActor(db, `hostile-req-${tag}@corp.test`, "requester");
  clearApiKeyCache();
  const k = admin.key;
  const ticket = async (title: string) =>
    ((await create("tickets", "POST", k, { title, description: `${title}: happens every morning since Monday`, email: requester.email })).body as { ticket: { key: string } }).ticket.key;
  const t1 = await ticket("Laptop fan is loud");
  const t2 = await ticket("Second screen stays black");
  const mergeFrom = await ticket("Duplicate of the screen issue");
  const mergeInto = await ticket("Screen issue, the original");
  const [cat] = await rows<{ slug: string }>(db, sql`SELECT slug FROM categories ORDER BY slug LIMIT 1`);
  const team = "service-desk";

  const valid: Record<string, unknown> = {
    "POST admin/api-keys": { name: "hostile", scopes: ["tickets:read"], expiresInDays: 30 },
    "POST admin/mailboxes": { name: `Inbox ${tag}`, host: "imap.example.com", port: 993, secure: true, username: "desk", password: "pw-123456", folder: "INBOX" },
    "PATCH admin/mailboxes/[id]": { name: `Inbox ${tag} renamed`, active: false },
    "POST admin/users": { email: `new-${tag}@example.com`, name: "Jo Lee", role: "agent", teamSlug: null },
    "PATCH admin/users/[id]": { role: "agent", teamSlug: team, active: true },
    "POST assistant": { text: "show my open tickets" },
    "POST categories": { slug: `hostile-${tag}`, name: "Hostile category", description: "For tests", team },
    "PATCH categories/[slug]": { description: "Updated by the hostile tests" },
    "POST categories/[slug]/examples": { title: "Printer jam", description: "The printer jams on every page" },
    "POST deflections": { ticketKey: "T-999999" },
    "POST deflections/suggest": { title: "VPN", description: "The VPN disconnects every few minutes" },
    "POST employees": { name: "Ada Staff", email: `ada-${tag}@corp.test`, team, skills: ["vpn"], seniority: "mid", maxOpenTickets: 10 },
    "PATCH employees/[id]": { department: "IT", maxOpenTickets: 12 },
    "POST macros": { name: `Macro ${tag}`, body: "Thanks, we are on it.", actions: { status: "in_progress" } },
    "PATCH macros/[id]": { body: "Thanks, we are still on it." },
    "POST macros/[id]/render": { ticketKey: t1 },
    "PUT mail/preferences": { agent_reply: true, resolved: false },
    "POST odata/sources": {
      name: `ERP ${tag}`, version: "v2", baseUrl: "https://erp.example.com/sap/opu/odata/sap/ZNOTIF_SRV", entitySet: "NotificationSet",
      mapping: { title: "ShortText", description: "LongText", externalId: "NotificationId" }, team, intervalMin: 30,
    },
    "PATCH odata/sources/[id]": { name: `ERP ${tag} renamed` },
    "POST routing/targets": { name: `Hook ${tag}`, team, kind: "webhook", url: "https://hooks.example.com/switchboard", secret: "a-signing-secret-0123456789", priorityThreshold: "P2" },
    "PATCH routing/targets/[id]": { retryLimit: 3 },
    "POST rule-sets": { name: `Rules ${tag}`, rules: [{ type: "required_columns", columns: ["Batch number", "Status"] }] },
    "PUT rule-sets/[id]": { name: `Rules ${tag}`, rules: [{ type: "not_empty", columns: ["Status"] }] },
    "POST sla/calendars": { name: `Cal ${tag}`, timeZone: "Europe/Berlin", hours: { "1": [{ start: "08:00", end: "12:00" }] } },
    "PATCH sla/calendars/[id]": { name: `Cal ${tag} renamed` },
    "POST sla/calendars/[id]/holidays": { day: "2026-12-24", name: "Christmas Eve" },
    "PATCH sla/policies/[id]": { firstResponseS: 7200 },
    "POST test/clock": { advanceS: 60 },
    "POST teams": { slug: `team-${tag}`, name: "Hostile team", description: "For tests" },
    "PATCH teams/[slug]": { assignmentMode: "manual" },
    "POST tickets": { title: "Keyboard misses keys", description: "Some keys do not register since yesterday", email: requester.email },
    "PATCH tickets/[key]": { priority: "P3" },
    "POST tickets/[key]/comments": { body: "Any news on this?" },
    "POST tickets/[key]/csat": { rating: "good", comment: "Quick" },
    "POST tickets/[key]/links": { key: t2 },
    "POST tickets/[key]/merge": { into: mergeInto },
    "POST tickets/[key]/requester-status": { action: "solve", note: "It works again" },
    "PUT tickets/[key]/tags": { tags: ["vpn", "laptop"] },
    "POST tickets/[key]/watchers": { email: `watcher-${tag}@corp.test` },
    "DELETE tickets/[key]/watchers": { email: `watcher-${tag}@corp.test` },
    "POST tickets/bulk": { keys: [t1], action: { type: "priority", priority: "P2" } },
    "POST tickets/classify": { title: "VPN", description: "The VPN disconnects every few minutes" },
    "POST uploads": { filename: "report.pdf", contentType: "application/pdf", size: 1024, kind: "attachment" },
    "POST views": { name: `View ${tag}`, filters: { priority: "P1,P2" }, sort: "priority" },
    "PATCH views/[id]": { name: `View ${tag} renamed` },
    "POST webhook/ticket": { title: "Disk almost full", description: "The monitoring reports the disk at 95 percent", email: requester.email },
  };

  // Entities behind the [id] / [slug] parameters, created with the valid bodies above.
  const id = async (route: string, body: unknown, params?: Record<string, string>) => firstId((await create(route, "POST", k, body, params)).body);
  const mailbox = await id("admin/mailboxes", { ...(valid["POST admin/mailboxes"] as object), name: `Fixture inbox ${tag}` });
  const user = await id("admin/users", { email: `fixture-${tag}@example.com`, name: "Fixture User", role: "requester" });
  const employee = await id("employees", { ...(valid["POST employees"] as object), email: `fixture-emp-${tag}@corp.test` });
  const macro = await id("macros", { ...(valid["POST macros"] as object), name: `Fixture macro ${tag}` });
  const source = await id("odata/sources", { ...(valid["POST odata/sources"] as object), name: `Fixture ERP ${tag}` });
  const target = await id("routing/targets", { ...(valid["POST routing/targets"] as object), name: `Fixture hook ${tag}` });
  const ruleSet = await id("rule-sets", { ...(valid["POST rule-sets"] as object), name: `Fixture rules ${tag}` });
  const calendar = await id("sla/calendars", { ...(valid["POST sla/calendars"] as object), name: `Fixture cal ${tag}` });
  const view = await id("views", { ...(valid["POST views"] as object), name: `Fixture view ${tag}` });
  valid["POST sla/policies"] = { name: `Policy ${tag}`, priority: "P4", category: cat.slug, calendarId: calendar, firstResponseS: 3600, resolutionS: 86400 };
  const policy = await id("sla/policies", { ...(valid["POST sla/policies"] as object), name: `Fixture policy ${tag}`, priority: "P3" });
  valid["POST sla/policies"] = { ...(valid["POST sla/policies"] as object), priority: "P2" };

  const params: Record<string, Record<string, string>> = {
    "admin/mailboxes/[id]": { id: mailbox },
    "admin/users/[id]": { id: user },
    "categories/[slug]": { slug: cat.slug },
    "categories/[slug]/examples": { slug: cat.slug },
    "employees/[id]": { id: employee },
    "macros/[id]": { id: macro },
    "macros/[id]/render": { id: macro },
    "odata/sources/[id]": { id: source },
    "routing/targets/[id]": { id: target },
    "rule-sets/[id]": { id: ruleSet },
    "sla/calendars/[id]": { id: calendar },
    "sla/calendars/[id]/holidays": { id: calendar },
    "sla/policies/[id]": { id: policy },
    "teams/[slug]": { slug: team },
    "views/[id]": { id: view },
    "tickets/[key]/merge": { key: mergeFrom },
  };
  for (const r of Object.keys(ROUTE_MODULES)) {
    if (params[r]) continue;
    const p: Record<string, string> = {};
    for (const m of r.matchAll(/\[(\.\.\.)?(\w+)\]/g)) p[m[2]] = m[2] === "key" ? t1 : m[2] === "other" ? t2 : m[2] === "slug" ? team : "00000000-0000-4000-8000-000000000000";
    params[r] = p;
  }
  return { admin, requester, params, valid };
}

/** `/api/<route>` with the fixture's parameters filled in. */
export function pathOf(route: string, params: Record<string, string>): string {
  return `/api/${route.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, n: string) => encodeURIComponent(params[n] ?? n))}`;
}

/** Tables a rejected request may still touch: rate-limit counters, key usage, sign-in throttling. */
const NOT_WRITES = new Set(["rate_limits", "api_keys", "signin_failures"]);

/**
 * A fingerprint of every table in the app schema (row count and an md5 of all rows' text),
 * except the bookkeeping tables in NOT_WRITES. Equal fingerprints before and after a request
 * mean it wrote nothing (no insert, update or delete).
 */
export async function dbFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await rows<{ t: string }>(db, sql`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const parts = tables.filter((r) => !NOT_WRITES.has(r.t)).map((r) => `SELECT '${r.t}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS f FROM "${r.t}" x`);
  const out: Record<string, string> = {};
  for (const r of await rows<{ t: string; f: string }>(db, sql.raw(parts.join(" UNION ALL ")))) out[r.t] = r.f;
  return out;
}

/** Names of the tables whose fingerprint differs. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t] !== b[t]);
}

/** Keys of POST /api/assistant's answer envelope, failed operations included. */
const ASSISTANT_ENVELOPE = ["op", "ok", "data", "message", "conversationId", "error"];

/** Assert the `{error: {code, message, details}}` shape of an error answer. */
export function expectErrorShape(res: CallResult, label: string): void {
  const b = res.body as { error?: { code?: unknown; message?: unknown } } | null;
  // POST /api/assistant answers a failed operation in its documented envelope
  // ({op, ok, data, message, conversationId, error}; app/api/assistant/route.ts): `error` is there
  // with the standard shape, next to those keys and no others.
  const allowed = label.startsWith("POST /api/assistant") ? ASSISTANT_ENVELOPE : ["error"];
  expect(b && typeof b === "object" && Object.keys(b).filter((k) => !allowed.includes(k)), `${label}: body keys`).toEqual([]);
  expect(b && typeof b === "object" && "error" in b, `${label}: error present`).toBe(true);
  expect(typeof b!.error?.code, `${label}: error.code`).toBe("string");
  expect(typeof b!.error?.message, `${label}: error.message`).toBe("string");
  expect("details" in (b!.error as object), `${label}: error.details present`).toBe(true);
}
