import { z } from "zod";
import { ASSIGNMENT_MODES } from "@/db/schema/routing";
import { PrioritySchema, SlugSchema, text } from "@/lib/tickets/schemas";
import { TARGET_CONFIG_SCHEMAS, TARGET_KINDS, TARGET_METHODS, type TargetKind } from "./types";

/*
 * One zod schema per payload of the team-mappings (push targets) API: POST /api/routing/targets
 * (CreateTargetSchema), PATCH /api/routing/targets/{id} (UpdateTargetSchema), the admin form's
 * server actions and the OpenAPI document. Imported by client components (the form validates
 * before sending), so nothing here may import server-only modules.
 */

/** Most custom headers a target may carry. */
export const MAX_HEADERS = 20;

/**
 * Headers a target may not set: the HTTP client computes them (a wrong Host or Content-Length
 * breaks the request or smuggles another one), or they are hop-by-hop.
 */
export const FORBIDDEN_HEADERS = ["host", "content-length", "transfer-encoding", "connection"] as const;

/** RFC 9110 `token`: the characters an HTTP field name may have. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const HeaderNameSchema = z
  .string()
  .min(1, "A header name cannot be empty")
  .max(100, "A header name has at most 100 characters")
  .regex(HTTP_TOKEN, "A header name has only letters, digits and !#$%&'*+.^_`|~- (no spaces or colons)")
  .refine((n) => !(FORBIDDEN_HEADERS as readonly string[]).includes(n.toLowerCase()), {
    message: `Host, Content-Length, Transfer-Encoding and Connection are set by Switchboard`,
  });

const HeaderValueSchema = text()
  .max(4000, "A header value has at most 4,000 characters")
  .refine((v) => !/[\r\n]/.test(v), { message: "A header value must be on one line" });

/**
 * Custom headers as a map name → value (values are secret: stored encrypted, never returned).
 * At most 20; names are HTTP tokens, unique ignoring case.
 */
export const TargetHeadersSchema = z
  .record(HeaderNameSchema, HeaderValueSchema)
  .refine((h) => Object.keys(h).length <= MAX_HEADERS, { message: `At most ${MAX_HEADERS} headers` })
  .refine((h) => new Set(Object.keys(h).map((k) => k.toLowerCase())).size === Object.keys(h).length, {
    message: "Header names must differ (ignoring case)",
  })
  .describe("Custom headers, name → value. Values are stored encrypted and never returned; the API lists the names only.");

/**
 * A target URL: http or https, at most 2,000 characters, no user or password in it (send
 * credentials as `secret` or a header, which are stored encrypted).
 */
export const TargetUrlSchema = text()
  .trim()
  .max(2000, "The URL has at most 2,000 characters")
  .refine(
    (u) => {
      try {
        const p = new URL(u);
        return (p.protocol === "http:" || p.protocol === "https:") && !!p.hostname;
      } catch {
        return false;
      }
    },
    { message: "Enter a full http:// or https:// URL", abort: true },
  )
  .refine(
    (u) => {
      const p = new URL(u);
      return !p.username && !p.password;
    },
    { message: "Do not put credentials in the URL; use the secret or a header (stored encrypted)" },
  )
  .describe("Jira: the site base (https://acme.atlassian.net); Freshservice: https://acme.freshservice.com; Slack: the incoming-webhook URL; webhook: the receiver's URL");

const SecretSchema = text()
  .min(1, "Enter the secret, or leave it out")
  .max(4000, "The secret has at most 4,000 characters")
  .describe("Write-only. Jira: email:api-token or a personal access token; Freshservice: the API key; webhook: the HMAC-SHA256 signing secret; Slack: unused");

const ConfigSchema = z
  .record(z.string(), z.unknown())
  .describe("Per kind. Jira: {projectKey, issueType, priorities: {P1..P4: name}}; Freshservice: {groupId, priorities: {P1..P4: 1-4}, source}; Slack: {channel, mentionOnP1}; webhook: {}");

/** The fields of a target, each without a default (the create schema adds them). */
const fields = {
  name: text().trim().min(1, "Enter a name").max(80, "The name has at most 80 characters").describe("Unique within the team"),
  team: SlugSchema.describe("Slug of the team whose tickets are pushed"),
  kind: z.enum(TARGET_KINDS).describe("jira, freshservice, slack or webhook"),
  url: TargetUrlSchema,
  method: z.enum(TARGET_METHODS).describe("HTTP method of the create call (webhook); default POST"),
  headers: TargetHeadersSchema.nullable(),
  secret: SecretSchema.nullable(),
  config: ConfigSchema,
  priorityThreshold: PrioritySchema.describe("Push tickets at or above this priority (P1 highest); default P4 = all"),
  active: z.boolean(),
  retryLimit: z.number().int().min(0).max(50).describe("Retries after the first attempt, 0-50; default 10"),
  retryDelayS: z.number().int().min(1).max(3600).describe("First retry delay in seconds, doubling with jitter, 1-3600; default 10"),
};

/** Issues of `config` checked against the kind's schema, with paths under `config`. */
export function configIssues(kind: TargetKind, config: unknown): { path: (string | number)[]; message: string }[] {
  const r = TARGET_CONFIG_SCHEMAS[kind].safeParse(config ?? {});
  if (r.success) {
    // Strict: a key the kind does not know is a mistake (e.g. a Jira field on a Slack target).
    const known = Object.keys(TARGET_CONFIG_SCHEMAS[kind].shape);
    return Object.keys((config ?? {}) as object)
      .filter((k) => !known.includes(k))
      .map((k) => ({ path: ["config", k], message: `Unknown setting for a ${kind} target` }));
  }
  return r.error.issues.map((i) => ({ path: ["config", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: i.message }));
}

/**
 * The kind's config parsed with its schema (defaults filled in).
 * @throws z.ZodError when it does not pass (callers parse with the schemas below first).
 */
export function parseConfig(kind: TargetKind, config: unknown): Record<string, unknown> {
  return TARGET_CONFIG_SCHEMAS[kind].parse(config ?? {}) as Record<string, unknown>;
}

/**
 * POST /api/routing/targets (admins) and the admin create form.
 * `headers` and `secret` are write-only; `config` is checked against the kind's schema.
 * A generic webhook needs a `secret` (its requests are signed with it).
 */
export const CreateTargetSchema = z
  .strictObject({
    name: fields.name,
    team: fields.team,
    kind: fields.kind,
    url: fields.url,
    method: fields.method.default("POST"),
    headers: fields.headers.optional(),
    secret: fields.secret.optional(),
    config: fields.config.default({}),
    priorityThreshold: fields.priorityThreshold.default("P4"),
    active: fields.active.default(true),
    retryLimit: fields.retryLimit.default(10),
    retryDelayS: fields.retryDelayS.default(10),
  })
  .superRefine((v, ctx) => {
    for (const i of configIssues(v.kind, v.config)) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
    if (v.kind === "webhook" && !v.secret) {
      ctx.addIssue({ code: "custom", path: ["secret"], message: "A webhook target needs a signing secret (requests carry X-Switchboard-Signature)" });
    }
  });
export type CreateTargetInput = z.output<typeof CreateTargetSchema>;

/**
 * PATCH /api/routing/targets/{id} (admins) and the admin edit form: any subset of the fields.
 * Leaving out `secret` or `headers` keeps the stored ones; `null` clears them. `config` is
 * checked against the (new or stored) kind's schema by the service; here too when `kind` is sent.
 */
export const UpdateTargetSchema = z
  .strictObject({
    name: fields.name.optional(),
    team: fields.team.optional(),
    kind: fields.kind.optional(),
    url: fields.url.optional(),
    method: fields.method.optional(),
    headers: fields.headers.optional(),
    secret: fields.secret.optional(),
    config: fields.config.optional(),
    priorityThreshold: fields.priorityThreshold.optional(),
    active: fields.active.optional(),
    retryLimit: fields.retryLimit.optional(),
    retryDelayS: fields.retryDelayS.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" })
  .superRefine((v, ctx) => {
    if (v.kind && v.config !== undefined) {
      for (const i of configIssues(v.kind, v.config)) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
    }
  });
export type UpdateTargetInput = z.output<typeof UpdateTargetSchema>;

/** GET /api/routing/targets query: optional team filter. */
export const ListTargetsQuerySchema = z.strictObject({
  team: SlugSchema.optional().describe("Only this team's targets"),
});

/** GET /api/routing/pushes query: the dead-letter list, newest push first, paged by cursor. */
export const ListPushesQuerySchema = z.strictObject({
  status: z.enum(["dead"]).default("dead").describe("Push status: dead (exhausted or refused pushes); the only one listed"),
  limit: z.coerce.number().int().min(1).max(100).default(25).describe("Page size, 1-100; default 25"),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "Use the nextCursor of the previous page")
    .optional()
    .describe("nextCursor of the previous page"),
});
export type ListPushesQuery = z.output<typeof ListPushesQuerySchema>;

/** PATCH /api/teams/{slug}: how tickets landing on the team get a person. */
export const UpdateTeamAssignmentSchema = z.strictObject({
  assignmentMode: z.enum(ASSIGNMENT_MODES).describe("auto (skill matching), round_robin (least recently assigned member) or manual"),
});
export type UpdateTeamAssignmentInput = z.output<typeof UpdateTeamAssignmentSchema>;
