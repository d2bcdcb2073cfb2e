import "server-only";
import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { fromDatabaseError, ApiError } from "@/lib/http/errors";
import { assertStaff } from "@/lib/tickets/access";
import { addComment } from "@/lib/tickets/add-comment";
import { countTickets, listTickets } from "@/lib/tickets/list-tickets";
import type { UpdateTicketInput } from "@/lib/tickets/schemas";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { BULK_MAX_TICKETS, signBulkConfirmation, verifyBulkConfirmation } from "../confirm";
import type { BulkActionSchema, BulkOpSchema } from "../ops";
import { toSummary } from "../summary";
import { assistantTimeZone, describeFilter, resolveFilter } from "./filter";
import { ambiguousPerson, myUserId, personLabel, resolvePerson } from "./people";
import { idOfKey, type ExecuteResult } from "./result";
import { statusWord, waitingWord } from "./words";

type BulkAction = z.infer<typeof BulkActionSchema>;
interface Ctx {
  now?: Date;
  timeZone?: string;
}

/** Tickets listed in the confirmation answer. */
const CONFIRM_SHOWN = 20;

/**
 * The action in words on `subject` ("3 tickets", or a filter's description for a command):
 * "close 3 tickets", "set 3 tickets to P1 and assign them to Maria Lopez".
 */
export function describeAction(a: BulkAction, subject: string, assigneeLabel?: string): string {
  const parts: string[] = [];
  if (a.status === "closed" || a.status === "resolved") parts.push(`${a.status === "closed" ? "close" : "resolve"} ${subject}`);
  else if (a.status === "waiting" || a.waitingReason) parts.push(`set ${subject} waiting on ${waitingWord(a.waitingReason)}`);
  else if (a.status) parts.push(`set ${subject} to ${statusWord(a.status)}`);
  if (a.priority) parts.push(parts.length ? `priority ${a.priority}` : `set ${subject} to ${a.priority}`);
  if (a.assignee === "none") parts.push(parts.length ? "unassign them" : `unassign ${subject}`);
  else if (a.assignee) parts.push(`${parts.length ? "assign them" : `assign ${subject}`} to ${a.assignee === "me" ? "me" : (assigneeLabel ?? a.assignee)}`);
  return parts.join(" and ");
}

const count = (n: number) => `${n} ticket${n === 1 ? "" : "s"}`;

/**
 * bulk, first step (agents only): find the matching tickets (at most 200) and answer with a
 * signed confirmation token for exactly those ids. Changes nothing. A named assignee is resolved
 * now and stored in the token by e-mail (ambiguous → candidates).
 * @throws ApiError 403 for requesters; 422 when more than 200 tickets match or a person is unknown.
 */
export async function runBulk(db: Db, op: z.infer<typeof BulkOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  assertStaff(p, "change many tickets at once");
  const zone = ctx.timeZone ?? assistantTimeZone();
  const action: BulkAction = { ...op.action };
  let assigneeLabel: string | undefined;
  if (action.assignee === "me") myUserId(p);
  else if (action.assignee && action.assignee !== "none") {
    const command = (email: string) => describeAction({ ...action, assignee: email }, describeFilter(op.filter, { zone }));
    const m = await resolvePerson(db, action.assignee, command, p);
    if (m.kind === "many") return ambiguousPerson("bulk", action.assignee, m.agents, command);
    action.assignee = m.agent.email; // exact, so the confirmation resolves the same person
    assigneeLabel = personLabel(m.agent);
  }
  const r = await resolveFilter(db, "bulk", op.filter, p, (email) => describeAction(action, describeFilter({ ...op.filter, assignee: email }, { zone })));
  if (r.kind === "ambiguous") return r.answer;

  const description = describeFilter(op.filter, { zone, now: ctx.now, assignee: r.assigneeLabel });
  const total = await countTickets(db, r.query, p, BULK_MAX_TICKETS);
  if (total === null) {
    throw new ApiError("unprocessable", `More than ${BULK_MAX_TICKETS} ${description} match; narrow the filter (a status, priority, team or date) and try again`, {
      field: "filter",
      max: BULK_MAX_TICKETS,
    });
  }
  if (total === 0) {
    return { op: "bulk", ok: true, data: null, message: `No ${description} match, so there is nothing to change.` };
  }
  const page = await listTickets(db, { ...r.query, limit: BULK_MAX_TICKETS }, p);
  const ids = page.items.map((t) => idOfKey(t.key)!);
  const { token, expiresAt } = signBulkConfirmation(p, action, ids, ctx.now);
  const what = describeAction(action, count(ids.length), assigneeLabel);
  const keys = page.items.slice(0, CONFIRM_SHOWN).map((t) => t.key);
  return {
    op: "bulk",
    ok: true,
    data: {
      kind: "confirm",
      token,
      expiresAt: expiresAt.toISOString(),
      tickets: page.items.slice(0, CONFIRM_SHOWN).map((t) => toSummary(t, p)),
      total: ids.length,
      action: what,
    },
    message: `This will ${what}: ${keys.join(", ")}${ids.length > keys.length ? ` and ${ids.length - keys.length} more` : ""}. Confirm to go ahead.`,
  };
}

/**
 * bulk, second step: verify the token (signature, expiry, same caller) and apply its action to
 * exactly its ticket ids, one transaction per ticket through the services (each re-checks the
 * caller's permission and the lifecycle). A ticket that fails (gone, no longer allowed, invalid
 * transition) is reported as failed; the others still run. A note goes in as the resolution when
 * the action resolves or closes, else as an internal note.
 * @throws ApiError 400 for an invalid, expired or other caller's token.
 */
export async function runConfirmedBulk(db: Db, token: string, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  const { action, ticketIds } = verifyBulkConfirmation(token, p, ctx.now);
  assertStaff(p, "change many tickets at once");
  const finishing = action.status === "resolved" || action.status === "closed";
  const patch: UpdateTicketInput = {};
  if (action.status) patch.status = action.status;
  if (action.waitingReason) Object.assign(patch, { status: "waiting", waitingReason: action.waitingReason });
  if (action.priority) patch.priority = action.priority;
  if (action.note && finishing) patch.resolution = action.note;
  if (action.assignee === "none") patch.assignee = null;
  else if (action.assignee === "me") patch.assignee = myUserId(p);
  else if (action.assignee) {
    const m = await resolvePerson(db, action.assignee, (email) => email, p); // an e-mail stored by runBulk: exact match
    if (m.kind === "many") throw new ApiError("bad_request", "The confirmation names an ambiguous assignee; run the command again");
    patch.assignee = m.agent.id;
  }
  const note = action.note && !finishing ? action.note : undefined;

  const results: { key: string; ok: boolean; error?: string }[] = [];
  for (const id of ticketIds) {
    const key = `T-${id}`;
    try {
      await db.transaction(async (tx) => {
        if (note) await addComment(tx, key, { body: note, internal: true }, p, { now: ctx.now });
        await updateTicket(tx, key, patch, p, { now: ctx.now });
      });
      results.push({ key, ok: true });
    } catch (err) {
      const e = err instanceof ApiError ? err : fromDatabaseError(err);
      if (!e) throw err;
      results.push({ key, ok: false, error: e.message });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  const failed = results.length - succeeded;
  const failedKeys = results.filter((r) => !r.ok).map((r) => r.key);
  return {
    op: "bulk",
    ok: true,
    data: { kind: "bulk", results, succeeded, failed },
    message: `Ran "${describeAction(action, count(results.length))}": ${succeeded} succeeded${failed ? `, ${failed} failed (${failedKeys.join(", ")})` : ""}.`,
  };
}
