import "server-only";
import type { Db } from "@/db/client";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import { addComment } from "@/lib/tickets/add-comment";
import { createTicket } from "@/lib/tickets/create-ticket";
import { toTicketDTO } from "@/lib/tickets/dto";
import { getTicketDetail } from "@/lib/tickets/get-ticket";
import { CreateTicketSchema, type UpdateTicketInput } from "@/lib/tickets/schemas";
import { updateTicket } from "@/lib/tickets/update-ticket";
import type { z } from "zod";
import type { AssignOpSchema, CommentOpSchema, CreateOpSchema, ResolveOpSchema, ShowOpSchema, UpdateOpSchema } from "../ops";
import { toSummary } from "../summary";
import { ambiguousPerson, myUserId, resolvePerson } from "./people";
import { idOfKey, ticketChanges, visibleTicket, type ExecuteResult } from "./result";
import { statusWord } from "./words";

type Op<S extends z.ZodType> = z.infer<S>;
interface Ctx {
  now?: Date;
}

/** Shortest description CreateTicketSchema accepts. */
const DESCRIPTION_MIN = 10;

/**
 * The requester e-mail of a ticket filed by command: a signed-in person files for themselves
 * (staff may name someone else); an API key files for the named requester, else its configured
 * default e-mail, else (requester keys) its person.
 * @throws ApiError 403 when a requester names someone else; 422 when an API key has none.
 */
function requesterFor(op: Op<typeof CreateOpSchema>, p: Principal): string {
  if (op.requester && !isStaff(p) && op.requester !== p.email) {
    throw new ApiError("forbidden", "Requesters can only file tickets under their own e-mail address", { field: "requester" });
  }
  if (p.kind === "user") return op.requester ?? p.email!;
  const email = op.requester ?? p.defaultEmail ?? (isStaff(p) ? null : p.email);
  if (!email) {
    throw new ApiError(
      "unprocessable",
      'Say whom the ticket is for: add "for name@example.com" to the command, or configure this API key\'s default e-mail (scripts/apikey-create.mts --default-email)',
      { field: "requester" },
    );
  }
  return email;
}

/** create: file a ticket for the caller (or the named requester), triaged like any other. */
export async function runCreate(db: Db, op: Op<typeof CreateOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  let description = op.description || op.title;
  if (description.length < DESCRIPTION_MIN) description = `${op.title} (filed by assistant command)`;
  const input = CreateTicketSchema.parse({
    title: op.title,
    description,
    email: requesterFor(op, p),
    priority: op.priority,
    category: op.category,
    team: op.team,
  });
  const source = p.kind === "api_key" ? "api" : "web";
  const { ticket, triage } = await createTicket(db, input, { principal: p, defaultSource: source, now: ctx.now });
  const ref = await getReferenceData(db);
  const categoryName = ref.categoryBySlug.get(ticket.category)?.name ?? ticket.category;
  const teamName = ticket.team ? (ref.teamBySlug.get(ticket.team)?.name ?? ticket.team) : null;
  const changes = ["created", `category ${categoryName}`, `priority ${ticket.priority}`];
  if (teamName) changes.push(`team ${teamName}`);
  if (triage.needsReview) changes.push("triage needs review");
  return {
    op: "create",
    ok: true,
    data: { kind: "ticket", ticket: toSummary(ticket, p), changes },
    message: `Created ${ticket.key} (${[categoryName, ticket.priority, teamName].filter(Boolean).join(", ")}).`,
    ticketId: idOfKey(ticket.key),
  };
}

/**
 * Apply a patch and/or add an internal note as ONE transaction: the services (addComment,
 * updateTicket) open their own transactions on the handle they get, which become savepoints
 * inside ours, so a refused status change (409) also drops the note. The note goes first, so
 * that "close T-7, replaced the switch" does not note on an already closed ticket.
 */
async function changeTicket(db: Db, key: string, patch: UpdateTicketInput | null, note: string | undefined, p: Principal, ctx: Ctx) {
  const before = toTicketDTO(await visibleTicket(db, key, p));
  const after = await db.transaction(async (tx) => {
    if (note) await addComment(tx, key, { body: note, internal: true }, p, { now: ctx.now });
    return patch ? updateTicket(tx, key, patch, p, { now: ctx.now }) : (await getTicketDetail(tx, key, p)).ticket;
  });
  const changes = ticketChanges(before, after);
  if (note) changes.push("internal note added");
  return { after, changes };
}

function ticketResult(op: ExecuteResult["op"], p: Principal, after: Awaited<ReturnType<typeof changeTicket>>): ExecuteResult {
  const { after: t, changes } = after;
  return {
    op,
    ok: true,
    data: { kind: "ticket", ticket: toSummary(t, p), changes },
    message: changes.length ? `Updated ${t.key}: ${changes.join(", ")}.` : `${t.key} already looks like that; nothing changed.`,
    ticketId: idOfKey(t.key),
  };
}

/** update: fields through updateTicket (status through the lifecycle), `note` as an internal note. Agents only. */
export async function runUpdate(db: Db, op: Op<typeof UpdateOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  await visibleTicket(db, op.key, p); // 404 before 403: keys cannot be probed
  if (!isStaff(p)) throw new ApiError("forbidden", "Only agents can change tickets");
  const patch: UpdateTicketInput = {};
  if (op.status) patch.status = op.status;
  if (op.waitingReason) patch.waitingReason = op.waitingReason;
  if (op.priority) patch.priority = op.priority;
  if (op.category) patch.category = op.category;
  if (op.team) patch.team = op.team;
  return ticketResult("update", p, await changeTicket(db, op.key, Object.keys(patch).length ? patch : null, op.note, p, ctx));
}

/** assign: "me", "none" or a person resolved among active agents (ambiguous → candidates, nothing changed). */
export async function runAssign(db: Db, op: Op<typeof AssignOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  await visibleTicket(db, op.key, p);
  if (!isStaff(p)) throw new ApiError("forbidden", "Only agents can assign tickets");
  let assignee: string | null;
  if (op.assignee === "me") assignee = myUserId(p);
  else if (op.assignee === "none") assignee = null;
  else {
    const command = (email: string) => `assign ${op.key} to ${email}`;
    const m = await resolvePerson(db, op.assignee, command, p);
    if (m.kind === "many") return ambiguousPerson("assign", op.assignee, m.agents, command, idOfKey(op.key));
    assignee = m.agent.id;
  }
  return ticketResult("assign", p, await changeTicket(db, op.key, { assignee }, undefined, p, ctx));
}

/** resolve: status resolved/closed with the resolution, through updateTicket's lifecycle. Agents only. */
export async function runResolve(db: Db, op: Op<typeof ResolveOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  await visibleTicket(db, op.key, p);
  if (!isStaff(p)) throw new ApiError("forbidden", `Only agents can ${op.status === "closed" ? "close" : "resolve"} tickets`);
  const patch: UpdateTicketInput = { status: op.status, ...(op.resolution ? { resolution: op.resolution } : {}) };
  return ticketResult("resolve", p, await changeTicket(db, op.key, patch, undefined, p, ctx));
}

/** comment: a public reply or (agents) an internal note, through addComment (its reply rules may reopen or file a follow-up). */
export async function runComment(db: Db, op: Op<typeof CommentOpSchema>, p: Principal, ctx: Ctx): Promise<ExecuteResult> {
  const before = toTicketDTO(await visibleTicket(db, op.key, p));
  const r = await addComment(db, op.key, { body: op.body, internal: op.internal }, p, { now: ctx.now });
  if (r.followUp) {
    const t = (await getTicketDetail(db, r.followUp.key, p)).ticket;
    return {
      op: "comment",
      ok: true,
      data: { kind: "ticket", ticket: toSummary(t, p), changes: ["created", `follow-up of ${op.key}`] },
      message: `${op.key} is closed, so your message opened a new ticket, ${t.key}.`,
      ticketId: idOfKey(t.key),
    };
  }
  const after = (await getTicketDetail(db, op.key, p)).ticket;
  const changes = [op.internal ? "internal note added" : "reply added", ...ticketChanges(before, after)];
  return {
    op: "comment",
    ok: true,
    data: { kind: "ticket", ticket: toSummary(after, p), changes },
    message: `${op.internal ? "Added an internal note to" : "Replied on"} ${op.key}.`,
    ticketId: idOfKey(op.key),
  };
}

/** show: the ticket as the caller may see it (404 when they may not). */
export async function runShow(db: Db, op: Op<typeof ShowOpSchema>, p: Principal, _ctx?: Ctx): Promise<ExecuteResult> {
  const t = (await getTicketDetail(db, op.key, p)).ticket;
  const who = t.assignee ? `assigned to ${t.assignee.name}` : "unassigned";
  return {
    op: "show",
    ok: true,
    data: { kind: "ticket", ticket: toSummary(t, p), changes: [] },
    message: `${t.key}: ${t.title} (${statusWord(t.status)}, ${t.priority}, ${who}).`,
    ticketId: idOfKey(t.key),
  };
}
