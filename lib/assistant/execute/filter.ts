import "server-only";
import { DateTime } from "luxon";
import type { DbOrTx } from "@/db/client";
import { installTimeZone } from "@/db/seed";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import type { TicketListFilters } from "@/lib/tickets/list-tickets";
import type { AssistantOpName, TicketFilter } from "../ops";
import { ambiguousPerson, myUserId, personLabel, resolvePerson } from "./people";
import type { ExecuteResult } from "./result";
import { statusWord, waitingWord } from "./words";

/** Time zone in which the assistant names days ("since Mon 23 Nov", "today"): SLA_TIME_ZONE, else the server's, else UTC. */
export const assistantTimeZone = (): string => installTimeZone();

/** `Mon 23 Nov` (with the year when it is not `now`'s year) in `zone`. */
export function formatDay(iso: string, zone: string, now: Date = new Date()): string {
  const d = DateTime.fromISO(iso, { zone });
  return d.toFormat(d.year === DateTime.fromJSDate(now, { zone }).year ? "ccc d LLL" : "ccc d LLL yyyy");
}


/**
 * Words for a filter, e.g. "open P1 tickets assigned to me created since Mon 23 Nov".
 * `assignee` is the resolved person's label when the filter named someone.
 */
export function describeFilter(f: TicketFilter, opts: { zone: string; now?: Date; assignee?: string } = { zone: "UTC" }): string {
  const head: string[] = [];
  if (f.status) head.push(f.status.map(statusWord).join(" or "));
  if (f.priority) head.push(f.priority.join(" or "));
  head.push("tickets");
  const tail: string[] = [];
  if (f.category) tail.push(`in category ${f.category}`);
  if (f.team) tail.push(`of team ${f.team}`);
  if (f.assignee === "none") tail.push("unassigned");
  else if (f.assignee === "me") tail.push("assigned to me");
  else if (f.assignee) tail.push(`assigned to ${opts.assignee ?? f.assignee}`);
  if (f.waitingReason) tail.push(`waiting on ${waitingWord(f.waitingReason)}`);
  if (f.requester === "me") tail.push("requested by me");
  else if (f.requester) tail.push(`requested by ${f.requester}`);
  if (f.needsReview !== undefined) tail.push(f.needsReview ? "needing triage review" : "with reviewed triage");
  if (f.sla) tail.push(`with SLA ${f.sla.map((s) => s.replace("_", " ")).join(" or ")}`);
  const day = (iso: string) => formatDay(iso, opts.zone, opts.now);
  if (f.createdFrom && f.createdTo) tail.push(`created from ${day(f.createdFrom)} until before ${day(f.createdTo)}`);
  else if (f.createdFrom) tail.push(`created since ${day(f.createdFrom)}`);
  else if (f.createdTo) tail.push(`created before ${day(f.createdTo)}`);
  if (f.q) tail.push(`matching "${f.q}"`);
  return [...head, ...tail].join(" ");
}

/** A filter mapped onto the ticket list's query, or candidates when its assignee is ambiguous. */
export type ResolvedFilter =
  | { kind: "query"; query: TicketListFilters; assigneeLabel?: string }
  /** The assignee is ambiguous: answer this (candidates, nothing ran). */
  | { kind: "ambiguous"; answer: ExecuteResult };

/**
 * Map the assistant's {@link TicketFilter} onto {@link TicketListFilters} (GET /api/tickets'
 * filters): requester "me" → the caller's e-mail, assignee "me"/"none" as they are, a named
 * assignee resolved among the active agents. Visibility is NOT applied here: listTickets and
 * countTickets apply it.
 * @param command builds the command that picks one candidate, from that person's e-mail.
 * @throws ApiError 422 for an unknown assignee, or requester "me" for a caller without an e-mail.
 */
export async function resolveFilter(
  db: DbOrTx,
  op: AssistantOpName,
  f: TicketFilter,
  principal: Principal,
  command: (email: string) => string,
): Promise<ResolvedFilter> {
  let assignee: TicketListFilters["assignee"];
  let assigneeLabel: string | undefined;
  // Requesters are never assignees: their "my tickets" are the ones they filed.
  if (f.assignee === "me" && !isStaff(principal)) f = { ...f, assignee: undefined, requester: "me" };
  if (f.assignee === "me") {
    myUserId(principal); // 422 for a key that is not a person
    assignee = "me";
  } else if (f.assignee === "none") assignee = "none";
  else if (f.assignee) {
    const m = await resolvePerson(db, f.assignee, command, principal);
    if (m.kind === "many") return { kind: "ambiguous", answer: ambiguousPerson(op, f.assignee, m.agents, command) };
    assignee = m.agent.id;
    assigneeLabel = personLabel(m.agent);
  }
  let email: string | undefined;
  if (f.requester === "me") {
    if (!principal.email) {
      throw new ApiError("unprocessable", "This API key does not belong to a person, so 'my tickets' means nobody's; name the requester's e-mail", {
        field: "requester",
      });
    }
    email = principal.email;
  } else email = f.requester;
  const query: TicketListFilters = {
    status: f.status,
    priority: f.priority,
    category: f.category,
    team: f.team,
    assignee,
    email,
    needsReview: f.needsReview,
    waitingReason: f.waitingReason,
    createdFrom: f.createdFrom,
    createdTo: f.createdTo,
    sla: f.sla,
    q: f.q,
  };
  return { kind: "query", query, assigneeLabel };
}
