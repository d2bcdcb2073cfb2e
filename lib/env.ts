import { z } from "zod";
import path from "node:path";

/**
 * The one zod-validated view of process.env (server side only).
 *
 * Each external service is optional: when its variable is unset Switchboard picks an
 * embedded default, so `npm run demo` works on a bare machine, and setting the variable
 * switches to the real service with no code change.
 *
 * - `DATABASE_URL` unset → PGlite (in-process PostgreSQL) stored under `DATA_DIR/pglite`.
 * - `NEXTAUTH_SECRET` unset → a random secret generated once and kept in `DATA_DIR/auth-secret`.
 */
const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** Every setting Switchboard reads, with its default; `.env.example` lists each (tests/ops/env-example.test.ts). */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** postgres://user:pass@host:port/db; unset means embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for embedded data (PGlite files, generated secrets). Default `.data`. `memory://` keeps PGlite in memory (tests). */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Max connections of the postgres.js pool. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  // --- Single sign-on: a generic OpenID Connect provider (lib/auth/oidc-config.ts, docs/SSO.md) ---
  /** Issuer URL (Keycloak `https://kc/realms/<realm>`, Entra `https://login.microsoftonline.com/<tenant>/v2.0`, Google `https://accounts.google.com`). SSO is on when issuer, client id and secret are all set. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(300).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** Label of the sign-in button ("Sign in with <name>"). Default "Single sign-on". */
  OIDC_NAME: z.string().min(1).max(60).default("Single sign-on"),
  /** Space-separated scopes requested. Default "openid email profile". */
  OIDC_SCOPES: z.string().min(6).max(500).default("openid email profile"),
  /** Claim holding the roles or groups (dotted path allowed: `realm_access.roles`). Unset: no mapping, new users are requesters and roles are never changed by sign-in. */
  OIDC_ROLE_CLAIM: z.string().min(1).max(200).optional(),
  /** Comma list of role-claim values that make an admin. */
  OIDC_ADMIN_VALUES: z.string().max(2000).default(""),
  /** Comma list of role-claim values that make an agent (admin values win). */
  OIDC_AGENT_VALUES: z.string().max(2000).default(""),
  /** Comma list of e-mail domains allowed to sign in with SSO; empty: any. */
  OIDC_ALLOWED_DOMAINS: z.string().max(2000).default(""),
  /** Create the user on first SSO sign-in (true) or admit only existing users (false). Default true. */
  OIDC_AUTO_CREATE: boolish.default(true),
  /**
   * Keys that encrypt secrets at rest (push targets' tokens and headers, mailbox passwords):
   * comma-separated, each 32 bytes as base64 or 64 hex digits; the first encrypts, all decrypt
   * (rotation: put the new key first). Unset: one key derived from the auth secret (HKDF), so
   * set it explicitly before you ever rotate NEXTAUTH_SECRET.
   */
  ENCRYPTION_KEY: z.string().min(32).max(2000).optional(),
  /**
   * Allow signed-out visitors to file tickets on /submit (rate limited per IP; the ticket stays
   * unverified until the claimed requester confirms it by mail). Default: off in production, on otherwise.
   */
  PUBLIC_SUBMISSIONS: boolish.optional(),
  /** Background job workers in this process: 0 makes a web-only instance; N > 0 is each queue's concurrency. Default 2. */
  JOBS_WORKERS: z.coerce.number().int().min(0).max(32).default(2),
  /**
   * Seconds after which a job still marked running is presumed dead (its process was killed or
   * lost the database) and retried: caps every queue's expiry (default each queue's own: 5 min,
   * sheet processing 30 min, OData pulls 15 min). Lower only if every job of yours finishes
   * well within it, or a slow job runs twice at once. Unset: no cap.
   */
  JOBS_EXPIRE_CAP_S: z.coerce.number().int().min(5).max(86_400).optional(),
  /** Seconds between pg-boss maintenance passes (expiring dead jobs, archiving). Default 120. */
  JOBS_MAINTENANCE_INTERVAL_S: z.coerce.number().int().min(1).max(3_600).default(120),
  /** Days after resolution during which a requester's reply reopens the ticket; later it files a follow-up. Default 7. */
  REOPEN_WINDOW_DAYS: z.coerce.number().min(0).max(365).default(7),
  /** Hours an admin's invite link (set your first password) works. Default 168 (7 days). */
  INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(168),
  /** Minutes a password-reset link (forgot password, admin reset) works. Default 60. */
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** Requests a minute per API key (or signed-in agent) on POST /api/webhook/ticket, counted across instances. Default 120. */
  WEBHOOK_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(120),
  /**
   * Requests a minute per caller (API key, signed-in user, else client IP) on every API route,
   * by route class, counted across instances: read (GET), write (other methods), classify
   * (triage and assistant calls), auth (sign-out everywhere, unsubscribe, password and invite links).
   */
  RATE_LIMIT_READ_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_WRITE_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(120),
  RATE_LIMIT_CLASSIFY_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(60),
  RATE_LIMIT_AUTH_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /**
   * Reverse proxies whose X-Forwarded-For / X-Real-IP are believed: a comma list of IPs or CIDRs
   * (e.g. `127.0.0.1,10.0.0.0/8`). Unset: forwarded headers are ignored and the socket address counts.
   */
  TRUSTED_PROXIES: z.string().max(2000).optional(),
  /**
   * `off`: the app does not gzip responses, for a proxy that compresses (compose's Caddy). Read by
   * next.config.ts when `next start` starts; a standalone build (the Docker image) keeps the
   * value it was built with (build arg HTTP_COMPRESSION). Default `on`.
   */
  HTTP_COMPRESSION: z.enum(["on", "off"]).default("on"),
  /** Newest tickets kept in each process's in-memory "similar tickets" index. Default 200000. */
  SIMILAR_INDEX_MAX: z.coerce.number().int().min(0).max(10_000_000).default(200_000),
  /** Bearer token for GET /api/metrics (Prometheus). Unset: only loopback callers may scrape. */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").max(200).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  // --- File storage (lib/files/storage) ---
  /** S3-compatible endpoint (MinIO `http://minio:9000`, AWS `https://s3.eu-central-1.amazonaws.com`). Unset: a local S3-compatible server under DATA_DIR/s3. */
  S3_ENDPOINT: z.string().url().optional(),
  /** Endpoint as the browser reaches it, when it differs from S3_ENDPOINT (e.g. compose: `http://localhost:9000`). Presigned URLs are signed for it. */
  S3_PUBLIC_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().min(3).max(63).regex(/^[a-z0-9][a-z0-9.-]+[a-z0-9]$/, "an S3 bucket name").default("switchboard"),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Unset with S3_ENDPOINT set: the AWS default credential chain (instance role, env, profile). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (`endpoint/bucket/key`): MinIO and the local server need them; AWS S3 works either way. Default true. */
  S3_FORCE_PATH_STYLE: boolish.default(true),
  /** Port of the local S3-compatible server (only when S3_ENDPOINT is unset; 0 = any free port). Default 4568. */
  S3_LOCAL_PORT: z.coerce.number().int().min(0).max(65535).default(4568),
  /** Largest upload in bytes (the presigned PUT is bound to the declared size). Default 50 MB. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(5 * 1024 ** 3).default(50 * 1024 * 1024),
  /**
   * Most data rows a processed sheet may hold (all its sheets together); more fails the upload as
   * `too_many_rows`. Memory grows with it: ~2.5 GB for a 1,000,000-row sheet (docs/PERFORMANCE.md).
   * Default 1,000,000.
   */
  SHEET_MAX_ROWS: z.coerce.number().int().min(1).max(5_000_000).default(1_000_000),

  // --- E-mail (lib/mail) ---
  /**
   * Outgoing SMTP server: `smtp://user:pass@host:587` (STARTTLS when offered) or
   * `smtps://user:pass@host:465`. Unset: mail goes to the dev outbox (/admin/outbox) and is not sent.
   */
  SMTP_URL: z.string().url().optional(),
  /** From address of outgoing mail, e.g. `Service Desk <help@example.com>`. Default `Switchboard <switchboard@localhost>`. */
  MAIL_FROM: z.string().min(3).max(300).default("Switchboard <switchboard@localhost>"),
  /** Domain of our Message-IDs (`<…@domain>`). Default: the domain of MAIL_FROM. */
  MAIL_DOMAIN: z.string().min(1).max(253).optional(),
  /**
   * One IMAP mailbox to poll for new tickets and replies, besides the admin-configured ones:
   * `imaps://user:pass@host:993/INBOX` or `imap://…:143/INBOX` (STARTTLS when offered). Query
   * options: `action=flag|move`, `moveTo=<folder>`, `tlsInsecure=1` (self-signed test servers).
   */
  IMAP_URL: z.string().url().optional(),
  /** Seconds between polls of a mailbox that does not offer IDLE. Default 60. */
  IMAP_POLL_INTERVAL_S: z.coerce.number().int().min(1).max(3600).default(60),
  /** Largest inbound message in bytes (raw RFC 822, attachments included); larger ones are refused. Default 25 MB. */
  INBOUND_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(25 * 1024 * 1024),
  /** Inbound messages an hour per sender address before further ones are held as rate_limited. Default 30. */
  INBOUND_RATE_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),

  // --- SLA (lib/sla) and OData sources (lib/odata) ---
  /**
   * IANA time zone of the default business-hours calendar created on a fresh install (the
   * "Business hours" calendar, Monday–Friday 9–17). Default: the server's time zone (`TZ`), else UTC.
   * Changing it later does not touch existing calendars (admins edit them at /admin/sla).
   */
  SLA_TIME_ZONE: z
    .string()
    .min(1)
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "an IANA time zone, e.g. Europe/Berlin")
    .optional(),
  /**
   * Test clock (e2e only): `1` lets an admin move the SLA clock with POST /api/test/clock (the
   * offset lives in app_settings, so every instance sees it). Never set it in production.
   */
  SWITCHBOARD_TEST_CLOCK: boolish.default(false),
  /** Timeout of one OData HTTP request in ms. Default 15,000. */
  ODATA_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** Most records one OData pull reads (all pages together). Default 10,000. */
  ODATA_MAX_RECORDS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),

  // --- Triage (lib/triage/pipeline.ts) ---
  /** local | llm | hybrid. Unset: hybrid when an LLM is configured, local otherwise. */
  TRIAGE_MODE: z.enum(["local", "llm", "hybrid"]).optional(),
  /** Confidence (0–1) under which a ticket goes to the review queue. Default 0.5. */
  TRIAGE_REVIEW_THRESHOLD: z.coerce.number().min(0).max(1).default(0.8),
  /** In hybrid mode the LLM is asked only under this local confidence (0–1). Default 0.6. */
  TRIAGE_HYBRID_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  /** Path of the local model artifact. Default lib/triage/local/artifacts/category-model.bin. */
  SWITCHBOARD_LOCAL_MODEL: z.string().min(1).optional(),
  /** Labelled dataset folder for `npm run train` / `npm run eval` (scripts only). Default ../shared/datasets/it-tickets. */
  DATASET_DIR: z.string().min(1).optional(),

  // --- LLM providers (lib/llm/config.ts picks the provider from what is set) ---
  LLM_PROVIDER: z.enum(["openai", "azure", "groq", "openai-compatible"]).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  GROQ_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_ENDPOINT: z.string().url().optional(),
  AZURE_OPENAI_DEPLOYMENT: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z.string().min(1).default("2024-10-21"),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_MODEL: z.string().min(1).max(120).optional(),
  /** Whole-call deadline in ms, retries included. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  LLM_RESPONSE_FORMAT: z.enum(["json_schema", "json_object"]).optional(),
  LLM_FEWSHOT_K: z.coerce.number().int().min(0).max(20).default(4),
  /** Embedding model of the OpenAI / OpenAI-compatible provider for assignee matching (unset: the local model's embeddings). */
  LLM_EMBEDDING_MODEL: z.string().min(1).max(120).optional(),
  /** USD per 1M tokens, for models missing from lib/llm/prices.ts. */
  LLM_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).optional(),
  LLM_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** One bad setting: the variable's name and what is wrong with its value (never the value itself, it may be a secret). */
export interface EnvProblem {
  key: string;
  problem: string;
}

/**
 * Thrown when the environment does not match {@link EnvSchema}: one error naming every bad
 * variable (not just the first), so a misconfigured deployment is fixed in one round.
 */
export class EnvError extends Error {
  readonly problems: EnvProblem[];
  constructor(problems: EnvProblem[]) {
    const lines = problems.map((p) => `  ${p.key}: ${p.problem}`);
    super(`Invalid environment (${problems.length} bad setting${problems.length === 1 ? "" : "s"}, see .env.example):\n${lines.join("\n")}`);
    this.name = "EnvError";
    this.problems = problems;
  }
}

/**
 * Validate a set of variables (default: process.env) against {@link EnvSchema} without caching.
 * Empty strings count as unset. Variables not in the schema are ignored.
 * @returns `{ ok: true, env }`, or `{ ok: false, error }` whose {@link EnvError} lists every bad
 *   variable once, with all of its problems joined by "; ".
 */
export function parseEnv(source: Record<string, string | undefined> = process.env): { ok: true; env: Env } | { ok: false; error: EnvError } {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = source[key];
    raw[key] = v === "" ? undefined : v;
  }
  const parsed = EnvSchema.safeParse(raw);
  if (parsed.success) return { ok: true, env: parsed.data };
  const byKey = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "(environment)";
    byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
  }
  return { ok: false, error: new EnvError([...byKey].map(([key, msgs]) => ({ key, problem: msgs.join("; ") }))) };
}

/**
 * Parsed environment. Memoised; call {@link resetEnvForTests} after changing process.env in tests.
 * @throws EnvError listing every invalid variable when process.env does not match the schema.
 */
export function env(): Env {
  if (cached) return cached;
  const r = parseEnv(process.env);
  if (!r.ok) throw r.error;
  cached = r.env;
  return cached;
}

/**
 * Start-up check (instrumentation.ts, before anything else runs): validate the whole
 * environment once. On a bad configuration the one {@link EnvError} naming every bad variable
 * is printed to stderr and thrown, so `next start` exits instead of serving with it.
 * @throws EnvError when any variable is invalid.
 */
export function validateEnvAtStartup(): Env {
  resetEnvForTests();
  try {
    return env();
  } catch (err) {
    if (err instanceof EnvError) console.error(err.message);
    throw err;
  }
}

/** Forget the memoised environment (tests change process.env between files). */
export function resetEnvForTests(): void {
  cached = undefined;
}

/** Absolute path of DATA_DIR, or the literal `memory://` marker. */
export function dataDir(): string {
  const d = env().DATA_DIR;
  return d === "memory://" ? d : path.resolve(/*turbopackIgnore: true*/ process.cwd(), d);
}

/** Whether signed-out visitors may file tickets (PUBLIC_SUBMISSIONS; off by default in production). */
export function publicSubmissionsEnabled(): boolean {
  const e = env();
  return e.PUBLIC_SUBMISSIONS ?? e.NODE_ENV !== "production";
}
