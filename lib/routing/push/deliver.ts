import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { categories, externalPushes, externalTargets, teams, ticketComments, ticketExternalLinks, tickets } from "@/db/schema";
import type { Status } from "@/db/schema/enums";
import type { PushStatus, TargetKind } from "@/db/schema/routing";
import { env } from "@/lib/env";
import { getEvent } from "@/lib/jobs/events";
import { logger } from "@/lib/observability/logger";
import { countExternalCall, metrics } from "@/lib/observability/metrics";
import { currentRequestId } from "@/lib/observability/request-context";
import { resolveTarget } from "@/lib/routing/targets/resolve";
import type { ResolvedTarget } from "@/lib/routing/targets/types";
import { ORDER_WINDOW_H, PLAN_HANDLER } from "./enqueue";
import { freshservice } from "./freshservice";
import { jira } from "./jira";
import { slack } from "./slack";
import type { OutboundRequest, PushChange, PushContext, PushLink, PushProtocol, PushTicket } from "./types";
import { webhook } from "./webhook";

/** The protocol of each target kind. */
export const PROTOCOLS: Record<TargetKind, PushProtocol> = { jira, freshservice, slack, webhook };

/** Longest one HTTP call to a target may take, in ms. */
export const PUSH_TIMEOUT_MS = 10_000;

/** What one delivery attempt came to. `retry` is thrown, never returned (see {@link PushRetryableError}). */
export type DeliverOutcome = "done" | "found" | "dead" | "skipped" | "not_pending";

/** A failed attempt that pg-boss should retry with backoff (408, 429, 5xx, network error, timeout, no record yet). */
export class PushRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushRetryableError";
  }
}

/** Options for tests: the fetch to use, the timeout, and a hook between the external call and our commit. */
export interface DeliverOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * Runs after the target answered 2xx and before the link and `done` commit. A throw here
   * stands for a worker killed between the external call and the commit (tests).
   */
  beforeCommit?: (link: PushLink) => void | Promise<void>;
  /**
   * Runs after the push, its ticket and the ticket's record at the target were read, before an
   * update or comment without a record looks for its create (tests: a create that succeeds in
   * between, as another worker's can).
   */
  afterRead?: () => void | Promise<void>;
}

/** Base of links back to Switchboard (`NEXTAUTH_URL`, else http://localhost:3000). */
export function appBaseUrl(): string {
  return (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/** The stable delivery id of a push: `Idempotency-Key` of webhook calls, the same on every attempt. */
export function deliveryIdOf(targetId: string, pushId: number): string {
  return `sb-${targetId}-${pushId}`;
}

const clip = (s: string, n = 2000) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Deliver one push (the `routing.push` task). Idempotent: a push that is no longer `pending`
 * does nothing.
 *
 * 1. Load the push, its ticket and target (secrets opened). Inactive target → `skipped`.
 *    Update/comment whose ticket has no record at the target and no create pending → `dead`.
 *    Update/comment whose create has made no record yet, or with an earlier push to the same
 *    target still pending → throws {@link PushRetryableError} (retried later: updates and
 *    comments reach a target in the order they happened; a dead push does not hold later ones).
 * 2. Record the attempt (attempts + 1, last_attempt_at) and COMMIT, before any HTTP call.
 * 3. A create tried before (attempts > 0) looks the record up first where the target allows
 *    it (Jira JQL on the label, Freshservice tag filter): found → link it, `done` (outcome `found`).
 * 4. Call the target (timeout 10 s). 2xx → in ONE transaction insert the link (exactly one per
 *    (ticket, target): ON CONFLICT DO NOTHING) and mark `done`. 408/429/5xx/network → record
 *    the status and error, throw (pg-boss retries with backoff). Other 4xx → `dead`, no retry.
 *
 * @returns the outcome; throws PushRetryableError for a retryable failure.
 */
export function deliverPush(db: Db, pushId: number, opts: DeliverOptions = {}): Promise<DeliverOutcome> {
  return deliverOnce(db, pushId, opts, false);
}

/** {@link deliverPush}; `relooked`: this is the second read, after the create succeeded meanwhile. */
async function deliverOnce(db: Db, pushId: number, opts: DeliverOptions, relooked: boolean): Promise<DeliverOutcome> {
  // One statement: the push, its target, its ticket and the ticket's record at the target.
  const [p] = await db
    .select({
      id: externalPushes.id,
      status: externalPushes.status,
      action: externalPushes.action,
      attempts: externalPushes.attempts,
      eventId: externalPushes.eventId,
      ticketId: externalPushes.ticketId,
      target: externalTargets,
      ticket: PUSH_TICKET_COLUMNS,
      linkTicketId: ticketExternalLinks.ticketId,
      linkExternalId: ticketExternalLinks.externalId,
      linkExternalUrl: ticketExternalLinks.externalUrl,
    })
    .from(externalPushes)
    .innerJoin(externalTargets, eq(externalTargets.id, externalPushes.targetId))
    .leftJoin(tickets, eq(tickets.id, externalPushes.ticketId))
    .leftJoin(categories, eq(categories.slug, tickets.categorySlug))
    .leftJoin(teams, eq(teams.slug, tickets.teamSlug))
    .leftJoin(ticketExternalLinks, and(eq(ticketExternalLinks.ticketId, externalPushes.ticketId), eq(ticketExternalLinks.targetId, externalPushes.targetId)))
    .where(eq(externalPushes.id, pushId))
    .limit(1);
  if (!p || p.status !== "pending") return "not_pending";
  const kind = p.target.kind;
  const finish = async (status: PushStatus, outcome: DeliverOutcome, patch: { code?: number | null; error?: string | null } = {}) => {
    await db
      .update(externalPushes)
      .set({
        status,
        ...(status === "done" || status === "skipped" ? { doneAt: sql`now()` } : {}),
        ...(patch.code !== undefined ? { lastStatusCode: patch.code } : {}),
        ...(patch.error !== undefined ? { lastError: patch.error === null ? null : clip(patch.error) } : {}),
      } as never)
      .where(and(eq(externalPushes.id, pushId), eq(externalPushes.status, "pending")));
    metrics().pushes.inc({ kind, outcome });
    return outcome;
  };
  if (!p.target.active) return finish("skipped", "skipped", { error: "target inactive" });
  let target: ResolvedTarget;
  try {
    target = resolveTarget(p.target);
  } catch (err) {
    // The target's secrets were sealed with a key no longer configured: no attempt can succeed until an admin fixes it.
    return finish("dead", "dead", { error: `target secrets cannot be opened: ${(err as Error).message}` });
  }
  const protocol = PROTOCOLS[kind];
  if (!protocol.supports(p.action)) return finish("skipped", "skipped", { error: `${kind} does not take ${p.action} pushes` });

  const ticket = toPushTicket(p.ticket);
  if (!ticket) return "not_pending"; // deleted: the push row cascades away
  const link = p.linkTicketId === null ? undefined : { externalId: p.linkExternalId, externalUrl: p.linkExternalUrl };
  if (p.action === "create" && link) return finish("done", "done", { error: null }); // another push made the record
  await opts.afterRead?.();
  if (p.action !== "create" && !link) {
    // One statement, so one snapshot: the create's success writes the record and `done` together
    // (commitSuccess), so it is either still pending here or its record is visible. Asking only for
    // a pending create, in a second statement after the first read, took a create that had just
    // succeeded for a missing one and killed the push (seen on PostgreSQL in push-order.test.ts).
    const [state] = await rows<{ creating: boolean; linked: boolean }>(
      db,
      sql`SELECT EXISTS (SELECT 1 FROM external_pushes WHERE ticket_id = ${p.ticketId} AND target_id = ${target.id} AND action = 'create' AND status = 'pending') AS creating,
                 EXISTS (SELECT 1 FROM ticket_external_links WHERE ticket_id = ${p.ticketId} AND target_id = ${target.id}) AS linked`,
    );
    // The create succeeded since the first read: deliver with its record (once; a record is never removed while its ticket exists).
    if (state.linked && !relooked) return deliverOnce(db, pushId, opts, true);
    // No create on its way (it is dead, or the target never got the ticket): waiting cannot help.
    if (!state.creating && !state.linked) return finish("dead", "dead", { error: "the ticket has no record at this target and no create push on its way; retry the create first" });
    await db.update(externalPushes).set({ lastError: "waiting for the ticket's record at the target (its create push has not succeeded)" }).where(eq(externalPushes.id, pushId));
    throw new PushRetryableError(`push ${pushId}: the ticket has no record at ${target.name} yet`);
  }
  if (p.action !== "create") {
    const earlier = await earlierWork(db, p.ticketId, target.id, p.eventId);
    if (earlier) throw new PushRetryableError(`push ${pushId}: waiting for ${earlier} to ${target.name} first`);
  }
  const change = await loadChange(db, p.action, p.eventId);
  if (!change) return finish("skipped", "skipped", { error: "the comment no longer exists" });

  const ctx: PushContext = {
    ticket,
    target,
    change,
    link: link ?? null,
    deliveryId: deliveryIdOf(target.id, pushId),
    nowS: Math.floor(Date.now() / 1000),
  };
  const request = protocol.build(ctx);
  if (!request) return finish("skipped", "skipped", { error: "nothing to send" });

  // Record the attempt and commit BEFORE calling out: a crash during or after the call leaves attempts > 0.
  const [rec] = await db
    .update(externalPushes)
    .set({ attempts: sql`${externalPushes.attempts} + 1`, lastAttemptAt: sql`now()` } as never)
    .where(and(eq(externalPushes.id, pushId), eq(externalPushes.status, "pending")))
    .returning({ attempts: externalPushes.attempts });
  if (!rec) return "not_pending";
  const call = (req: OutboundRequest) => send(req, opts, kind);

  if (p.action === "create" && rec.attempts > 1 && protocol.lookup) {
    const res = await call(protocol.lookup.request(ctx));
    if (res.ok) {
      const found = protocol.lookup.parse(ctx, res.json);
      if (found) {
        await commitSuccess(db, pushId, p.ticketId, target, found, res.status, opts);
        metrics().pushes.inc({ kind, outcome: "found" });
        logger.info({ pushId, target: target.name, externalId: found.externalId }, "push: an earlier attempt's record was found; not creating another");
        return "found";
      }
    } else {
      return failed(db, pushId, kind, res, "lookup");
    }
  }

  const res = await call(request);
  if (!res.ok) return failed(db, pushId, kind, res, p.action);
  let made: PushLink;
  try {
    made = p.action === "create" ? protocol.created(ctx, res.json ?? res.text) : (link as PushLink);
  } catch (err) {
    return finish("dead", "dead", { code: res.status, error: (err as Error).message });
  }
  await commitSuccess(db, pushId, p.ticketId, target, made, res.status, opts);
  metrics().pushes.inc({ kind, outcome: "done" });
  return "done";
}

/**
 * Updates and comments reach a target in the order they happened (event order; one ticket's
 * changes are serialized by its row lock): an earlier update/comment push to the same target
 * still pending, or an earlier status change / public reply of the ticket (last
 * {@link ORDER_WINDOW_H} h) whose pushes are not planned yet, goes first. A dead push does not
 * hold later ones.
 * @returns what to wait for, or null.
 */
async function earlierWork(db: Db, ticketId: number, targetId: string, eventId: number): Promise<string | null> {
  const [r] = await rows<{ what: string }>(
    db,
    sql`SELECT 'push ' || p.id AS what FROM external_pushes p
        WHERE p.ticket_id = ${ticketId} AND p.target_id = ${targetId} AND p.status = 'pending' AND p.event_id < ${eventId}
        UNION ALL
        SELECT 'planning of event ' || e.id FROM domain_events e
        WHERE e.ticket_id = ${ticketId} AND e.id < ${eventId} AND e.created_at > now() - make_interval(hours => ${ORDER_WINDOW_H}::int)
          AND (e.type = 'ticket.status_changed' OR (e.type = 'comment.added' AND e.payload->>'internal' = 'false'))
          AND NOT EXISTS (SELECT 1 FROM job_receipts j WHERE j.handler = ${PLAN_HANDLER} AND j.event_id = e.id)
        LIMIT 1`,
  );
  return r?.what ?? null;
}

/**
 * Link (exactly one per (ticket, target): ON CONFLICT DO NOTHING; an update/comment push's link
 * exists already) and `done` in ONE statement, so both commit or neither (until 2026-12 a
 * transaction of four round trips).
 */
async function commitSuccess(db: Db, pushId: number, ticketId: number, target: ResolvedTarget, link: PushLink, code: number | null, opts: DeliverOptions) {
  await opts.beforeCommit?.(link);
  await rows(
    db,
    sql`WITH link AS (
          INSERT INTO ticket_external_links (ticket_id, target_id, kind, external_id, external_url)
          VALUES (${ticketId}, ${target.id}, ${target.kind}, ${link.externalId}, ${link.externalUrl})
          ON CONFLICT DO NOTHING)
        UPDATE external_pushes SET status = 'done', done_at = now(), last_status_code = ${code}, last_error = NULL
        WHERE id = ${pushId}`,
  );
}

/** What a call came to: a status (null for a network error or timeout) and the body. */
export interface CallResult {
  ok: boolean;
  status: number | null;
  json: unknown;
  text: string;
  error: string | null;
  retryAfter: string | null;
}

/**
 * Make one HTTP call (timeout `opts.timeoutMs`, default 10 s; no redirects); never throws. Also
 * used by SLA notifications (lib/sla/notify.ts). Sends the current request id as
 * `X-Request-Id` (the request or job that caused the call) and counts the call in
 * `switchboard_external_calls_total{target, result}` (result: ok, http_4xx, http_5xx, timeout, error).
 */
export async function send(req: OutboundRequest, opts: DeliverOptions, target: string = "webhook"): Promise<CallResult> {
  const res = await sendOnce(req, opts);
  countExternalCall(target, res.ok ? "ok" : res.status !== null ? `http_${Math.floor(res.status / 100)}xx` : /timed out/.test(res.error ?? "") ? "timeout" : "error");
  return res;
}

async function sendOnce(req: OutboundRequest, opts: DeliverOptions): Promise<CallResult> {
  const doFetch = opts.fetch ?? fetch;
  const requestId = currentRequestId();
  try {
    const res = await doFetch(req.url, {
      method: req.method,
      headers: requestId ? { ...req.headers, "X-Request-Id": requestId } : req.headers,
      body: req.body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? PUSH_TIMEOUT_MS),
      redirect: "manual",
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { ok: res.status >= 200 && res.status < 300, status: res.status, json, text, error: null, retryAfter: res.headers.get("retry-after") };
  } catch (err) {
    const e = err as Error;
    const msg = e.name === "TimeoutError" ? `timed out after ${opts.timeoutMs ?? PUSH_TIMEOUT_MS} ms` : `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ""}`;
    return { ok: false, status: null, json: null, text: "", error: msg, retryAfter: null };
  }
}

/** True for answers worth retrying: network errors, timeouts, 408, 429, 5xx. */
export function isRetryable(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}

async function failed(db: Db, pushId: number, kind: TargetKind, res: CallResult, what: string): Promise<DeliverOutcome> {
  const detail = res.status === null ? (res.error ?? "network error") : `HTTP ${res.status}${res.text ? `: ${res.text.slice(0, 500)}` : ""}`;
  const message = clip(`${what}: ${detail}${res.retryAfter ? ` (Retry-After: ${res.retryAfter})` : ""}`);
  if (isRetryable(res.status)) {
    await db.update(externalPushes).set({ lastStatusCode: res.status, lastError: message }).where(eq(externalPushes.id, pushId));
    metrics().pushes.inc({ kind, outcome: "retry" });
    throw new PushRetryableError(`push ${pushId}: ${message}`);
  }
  await db
    .update(externalPushes)
    .set({ status: "dead", lastStatusCode: res.status, lastError: message })
    .where(and(eq(externalPushes.id, pushId), eq(externalPushes.status, "pending")));
  metrics().pushes.inc({ kind, outcome: "dead" });
  logger.warn({ pushId, status: res.status }, "push rejected by the target (not retried)");
  return "dead";
}

/** The columns {@link toPushTicket} reads (null when the ticket is gone, under a left join). */
const PUSH_TICKET_COLUMNS = {
  key: tickets.key,
  title: tickets.title,
  description: tickets.description,
  requesterEmail: tickets.requesterEmail,
  priority: tickets.priority,
  status: tickets.status,
  categorySlug: tickets.categorySlug,
  categoryName: categories.name,
  teamSlug: tickets.teamSlug,
  teamName: teams.name,
  source: tickets.source,
  createdAt: tickets.createdAt,
};

type PushTicketRow = { [K in keyof typeof PUSH_TICKET_COLUMNS]: (typeof PUSH_TICKET_COLUMNS)[K]["_"]["data"] | null };

/** The ticket of a {@link PUSH_TICKET_COLUMNS} row; null when its NOT NULL columns are null (no ticket joined). */
function toPushTicket(t: PushTicketRow | null): PushTicket | null {
  if (!t) return null;
  const { key, title, description, requesterEmail, priority, status, categorySlug, source, createdAt } = t;
  if (key === null || title === null || description === null || requesterEmail === null || priority === null) return null;
  if (status === null || categorySlug === null || source === null || createdAt === null) return null;
  return {
    key,
    title,
    description,
    requesterEmail,
    priority,
    status,
    category: t.categoryName ?? categorySlug,
    team: t.teamName ?? t.teamSlug,
    source,
    createdAt: new Date(createdAt).toISOString(),
    url: `${appBaseUrl()}/tickets/${key}`,
  };
}

/** The ticket as pushes send it, or null when it is gone. */
export async function loadPushTicket(db: Db, ticketId: number): Promise<PushTicket | null> {
  const [t] = await db
    .select(PUSH_TICKET_COLUMNS)
    .from(tickets)
    .leftJoin(categories, eq(categories.slug, tickets.categorySlug))
    .leftJoin(teams, eq(teams.slug, tickets.teamSlug))
    .where(eq(tickets.id, ticketId))
    .limit(1);
  return t ? toPushTicket(t) : null;
}

/** What the push's event changed; null when a comment push's comment is gone or internal. */
async function loadChange(db: Db, action: PushChange["action"], eventId: number): Promise<PushChange | null> {
  if (action === "create") return { action };
  const event = await getEvent(db, eventId);
  if (action === "update") {
    return { action, from: String(event?.payload.from ?? "open") as Status, to: String(event?.payload.to ?? "open") as Status };
  }
  const commentId = Number(event?.payload.commentId);
  if (!Number.isFinite(commentId)) return null;
  const [c] = await db
    .select({ author: ticketComments.authorLabel, body: ticketComments.body, internal: ticketComments.internal })
    .from(ticketComments)
    .where(eq(ticketComments.id, commentId))
    .limit(1);
  if (!c || c.internal) return null;
  return { action, commentId, author: c.author, body: c.body };
}

/**
 * The push's job exhausted its retries: mark it `dead` (kept: its last status code and error),
 * so it shows in the dead-letter list with a retry button. Idempotent.
 */
export async function markPushDead(db: Db, pushId: number): Promise<void> {
  const [r] = await db
    .update(externalPushes)
    .set({ status: "dead" })
    .where(and(eq(externalPushes.id, pushId), eq(externalPushes.status, "pending")))
    .returning({ kind: sql<TargetKind>`(SELECT kind FROM external_targets WHERE id = ${externalPushes.targetId})` });
  if (r) metrics().pushes.inc({ kind: r.kind, outcome: "dead" });
}
