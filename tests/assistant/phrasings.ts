import type { AssistantOp } from "@/lib/assistant/ops";
import type { GrammarContext } from "@/lib/assistant/types";
import { SEED_CATEGORIES, SEED_TEAMS } from "@/db/seed";

/*
 * The command phrasings the deterministic grammar (lib/assistant/grammar) must understand, with
 * the exact operation each one means. tests/assistant/grammar.test.ts checks every row;
 * scripts/assistant-tokens.mts measures response sizes over the whole table, so keep the shape
 * plain: { text, ticketKey?, expect: AssistantOp | "unknown" | "clarify" }.
 *
 * "Now" is Wednesday 2026-11-25 10:30 UTC (11:30 in Europe/Berlin, UTC+1), so "this week"
 * starts Monday 2026-11-23 00:00 Berlin = 2026-11-22T23:00:00.000Z. Categories and teams are the
 * seeded reference data (db/seed.ts).
 */

/** The context every row is parsed with (plus the row's ticketKey). */
export const GRAMMAR_TEST_CTX: GrammarContext = {
  now: new Date("2026-11-25T10:30:00Z"),
  timeZone: "Europe/Berlin",
  // The seeded reference data (db/seed.ts), as a fresh install has it.
  teams: SEED_TEAMS.map(({ slug, name }) => ({ slug, name })),
  categories: SEED_CATEGORIES.map(({ slug, name }) => ({ slug, name })),
};

/** One phrasing and what it must parse to. */
export interface Phrasing {
  text: string;
  /** The ticket on screen ("take it"). */
  ticketKey?: string;
  expect: AssistantOp | "unknown" | "clarify";
}

/** Unsolved statuses: what "open" and a filter without a status mean. */
const UNSOLVED: ("new" | "open" | "in_progress" | "waiting")[] = ["new", "open", "in_progress", "waiting"];
/** Monday 2026-11-23 00:00 Berlin: start of "this week". */
const MONDAY = "2026-11-22T23:00:00.000Z";
/** Monday 2026-11-16 00:00 Berlin: start of "last week". */
const LAST_MONDAY = "2026-11-15T23:00:00.000Z";
/** Tuesday 2026-11-24 00:00 Berlin. */
const YESTERDAY = "2026-11-23T23:00:00.000Z";
/** Wednesday 2026-11-25 00:00 Berlin. */
const TODAY = "2026-11-24T23:00:00.000Z";
/** Thursday 2026-11-26 00:00 Berlin. */
const TOMORROW = "2026-11-25T23:00:00.000Z";

export const PHRASINGS: Phrasing[] = [
  // create
  { text: "create ticket for API timeouts in production, high priority", expect: { op: "create", title: "API timeouts in production", priority: "P2" } },
  { text: "new P1 ticket: mail server down", expect: { op: "create", title: "mail server down", priority: "P1" } },
  { text: "open a ticket about printer on floor 2 jammed for jo@example.com", expect: { op: "create", title: "printer on floor 2 jammed", requester: "jo@example.com" } },
  { text: "create ticket for laptop screen broken, hardware", expect: { op: "create", title: "laptop screen broken", category: "hardware" } },
  { text: "create a high priority ticket for VPN drops every hour", expect: { op: "create", title: "VPN drops every hour", priority: "P2" } },
  { text: "raise an urgent ticket: CEO laptop broken", expect: { op: "create", title: "CEO laptop broken", priority: "P1" } },
  { text: "new ticket: VPN drops (P1)", expect: { op: "create", title: "VPN drops", priority: "P1" } },
  { text: "create ticket for shared drive full, storage, P3", expect: { op: "create", title: "shared drive full", priority: "P3", category: "storage" } },
  { text: "log a ticket for Outlook crashes on start for Jo.Smith@Example.com", expect: { op: "create", title: "Outlook crashes on start", requester: "jo.smith@example.com" } },
  { text: "create ticket for new starter needs an account, team identity access", expect: { op: "create", title: "new starter needs an account", team: "identity-access" } },
  { text: "create ticket", expect: "clarify" },
  // create_category
  { text: "create category Printers for team end-user-computing", expect: { op: "create_category", name: "Printers", team: "end-user-computing" } },
  { text: "create category Printers for team hr", expect: { op: "create_category", name: "Printers", team: "hr-operations" } },
  { text: "create category Scanners in End-User Computing", expect: { op: "create_category", name: "Scanners", team: "end-user-computing" } },
  { text: "create category Printers", expect: "clarify" },
  { text: "create category Printers for team nope", expect: "clarify" },
  // update
  { text: "update T-12 to in progress, investigating the load balancer", expect: { op: "update", key: "T-12", status: "in_progress", note: "investigating the load balancer" } },
  { text: "set T-3 priority to low", expect: { op: "update", key: "T-3", priority: "P4" } },
  { text: "set the priority of T-3 to critical", expect: { op: "update", key: "T-3", priority: "P1" } },
  { text: "T-5 to waiting on vendor", expect: { op: "update", key: "T-5", status: "waiting", waitingReason: "third_party" } },
  { text: "mark T-9 as waiting for the requester", expect: { op: "update", key: "T-9", status: "waiting", waitingReason: "requester" } },
  { text: "update T-3 to waiting on the requester, asked for the serial number", expect: { op: "update", key: "T-3", status: "waiting", waitingReason: "requester", note: "asked for the serial number" } },
  { text: "move T-4 to team identity access", expect: { op: "update", key: "T-4", team: "identity-access" } },
  { text: "move T-4 to team identity", expect: { op: "update", key: "T-4", team: "identity-access" } },
  { text: "move T-4 to hardware", expect: { op: "update", key: "T-4", category: "hardware" } },
  { text: "move T-4 to storage", expect: { op: "update", key: "T-4", category: "storage" } },
  { text: "change category of T-8 to storage", expect: { op: "update", key: "T-8", category: "storage" } },
  { text: "reopen T-4, user says it broke again", expect: { op: "update", key: "T-4", status: "open", note: "user says it broke again" } },
  { text: "T-12 in progress", expect: { op: "update", key: "T-12", status: "in_progress" } },
  { text: "set T-3 to P1 and in progress", expect: { op: "update", key: "T-3", status: "in_progress", priority: "P1" } },
  { text: "update T-12: called the user back", expect: { op: "update", key: "T-12", note: "called the user back" } },
  { text: "update T-12", expect: "clarify" },
  { text: "set T-12 to banana", expect: "clarify" },
  { text: "move T-4 to hr", expect: "clarify" },
  { text: "set it to high priority", ticketKey: "T-40", expect: { op: "update", key: "T-40", priority: "P2" } },
  // assign
  { text: "assign T-12 to maria", expect: { op: "assign", key: "T-12", assignee: "maria" } },
  { text: "assign T-12 to maria@corp.test", expect: { op: "assign", key: "T-12", assignee: "maria@corp.test" } },
  { text: "assign T-12 to Maria Lopez", expect: { op: "assign", key: "T-12", assignee: "Maria Lopez" } },
  { text: "give T-12 to Maria Lopez", expect: { op: "assign", key: "T-12", assignee: "Maria Lopez" } },
  { text: "assign maria to T-12", expect: { op: "assign", key: "T-12", assignee: "maria" } },
  { text: "take T-12", expect: { op: "assign", key: "T-12", assignee: "me" } },
  { text: "take it", ticketKey: "T-40", expect: { op: "assign", key: "T-40", assignee: "me" } },
  { text: "take this", ticketKey: "T-40", expect: { op: "assign", key: "T-40", assignee: "me" } },
  { text: "assign to me", ticketKey: "T-40", expect: { op: "assign", key: "T-40", assignee: "me" } },
  { text: "take it", expect: "clarify" },
  { text: "assign it", expect: "clarify" },
  { text: "assign T-12", expect: "clarify" },
  { text: "unassign T-12", expect: { op: "assign", key: "T-12", assignee: "none" } },
  { text: "assign T-12 to nobody", expect: { op: "assign", key: "T-12", assignee: "none" } },
  // comment
  { text: "note on T-12: waiting for the vendor", expect: { op: "comment", key: "T-12", body: "waiting for the vendor", internal: true } },
  { text: "internal note T-12 checked the switch logs", expect: { op: "comment", key: "T-12", body: "checked the switch logs", internal: true } },
  { text: "reply to T-12: we have ordered the part", expect: { op: "comment", key: "T-12", body: "we have ordered the part", internal: false } },
  { text: "comment on T-12: please restart your laptop", expect: { op: "comment", key: "T-12", body: "please restart your laptop", internal: false } },
  { text: "tell the requester of T-12 that the part arrives monday", expect: { op: "comment", key: "T-12", body: "the part arrives monday", internal: false } },
  { text: "public note on T-3: fixed", expect: { op: "comment", key: "T-3", body: "fixed", internal: false } },
  { text: "private comment on T-3: check again", expect: { op: "comment", key: "T-3", body: "check again", internal: true } },
  { text: "note: vendor called back", ticketKey: "T-3", expect: { op: "comment", key: "T-3", body: "vendor called back", internal: true } },
  { text: "note: vendor called back", expect: "clarify" },
  { text: "reply to T-12", expect: "clarify" },
  { text: "reply to T-12: can you send a screenshot?", expect: { op: "comment", key: "T-12", body: "can you send a screenshot?", internal: false } },
  { text: "reply to T-12: thanks, fixed now!", expect: { op: "comment", key: "T-12", body: "thanks, fixed now!", internal: false } },
  // resolve
  { text: "close T-7, replaced the switch", expect: { op: "resolve", key: "T-7", status: "closed", resolution: "replaced the switch" } },
  { text: "resolve T-7 with reset the password", expect: { op: "resolve", key: "T-7", status: "resolved", resolution: "reset the password" } },
  { text: "mark T-7 as solved", expect: { op: "resolve", key: "T-7", status: "resolved" } },
  { text: "mark T-7 as fixed", expect: { op: "resolve", key: "T-7", status: "resolved" } },
  { text: "mark T-7 as done", expect: { op: "resolve", key: "T-7", status: "resolved" } },
  { text: "close it", ticketKey: "T-9", expect: { op: "resolve", key: "T-9", status: "closed" } },
  { text: "close this, fixed by reboot", ticketKey: "T-9", expect: { op: "resolve", key: "T-9", status: "closed", resolution: "fixed by reboot" } },
  { text: "T-12 is done", expect: { op: "resolve", key: "T-12", status: "resolved" } },
  { text: "close T-1 T-2", expect: "clarify" },
  { text: "close it", expect: "clarify" },
  { text: "close the printer ticket", expect: "clarify" },
  // show
  { text: "show T-12", expect: { op: "show", key: "T-12" } },
  { text: "what's T-12", expect: { op: "show", key: "T-12" } },
  { text: "T-12", expect: { op: "show", key: "T-12" } },
  { text: "what is T-99", expect: { op: "show", key: "T-99" } },
  { text: "show me T-12", expect: { op: "show", key: "T-12" } },
  { text: "open T-12", expect: { op: "show", key: "T-12" } },
  { text: "t12", expect: { op: "show", key: "T-12" } },
  { text: "T 12", expect: { op: "show", key: "T-12" } },
  { text: "#12", expect: { op: "show", key: "T-12" } },
  { text: "show T-12 and T-13", expect: "clarify" },
  // list
  { text: "show open high priority tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P2"] } } },
  { text: "my tickets waiting on the requester", expect: { op: "list", filter: { status: ["waiting"], assignee: "me", waitingReason: "requester" } } },
  { text: "unassigned hardware tickets", expect: { op: "list", filter: { status: UNSOLVED, category: "hardware", assignee: "none" } } },
  { text: "breached tickets", expect: { op: "list", filter: { status: UNSOLVED, sla: ["breached"] } } },
  { text: "at risk tickets", expect: { op: "list", filter: { status: UNSOLVED, sla: ["at_risk"] } } },
  { text: "tickets needing review", expect: { op: "list", filter: { status: UNSOLVED, needsReview: true } } },
  { text: "tickets from alice@corp.test", expect: { op: "list", filter: { requester: "alice@corp.test" } } },
  { text: "tickets raised by Bob@Corp.test", expect: { op: "list", filter: { requester: "bob@corp.test" } } },
  { text: "my requests", expect: { op: "list", filter: { requester: "me" } } },
  { text: "tickets I filed", expect: { op: "list", filter: { requester: "me" } } },
  { text: "my own tickets", expect: { op: "list", filter: { status: UNSOLVED, assignee: "me" } } },
  { text: "my waiting tickets", expect: { op: "list", filter: { status: ["waiting"], assignee: "me" } } },
  { text: "my P1s", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P1"], assignee: "me" } } },
  { text: "search printer jam", expect: { op: "list", filter: { q: "printer jam" } } },
  { text: "tickets about vpn", expect: { op: "list", filter: { q: "vpn" } } },
  { text: "search \"printer jam\" this week", expect: { op: "list", filter: { createdFrom: MONDAY, q: "printer jam" } } },
  { text: "open tickets sorted by due", expect: { op: "list", filter: { status: UNSOLVED }, sort: "due" } },
  { text: "top 5 unassigned tickets", expect: { op: "list", filter: { status: UNSOLVED, assignee: "none" }, limit: 5 } },
  { text: "status open tickets", expect: { op: "list", filter: { status: ["open"] } } },
  { text: "tickets in status open", expect: { op: "list", filter: { status: ["open"] } } },
  { text: "show p1 and p2 tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P1", "P2"] } } },
  { text: "tickets waiting for vendor", expect: { op: "list", filter: { status: ["waiting"], waitingReason: "third_party" } } },
  { text: "show identity & access tickets", expect: { op: "list", filter: { status: UNSOLVED, team: "identity-access" } } },
  { text: "show end-user-computing tickets", expect: { op: "list", filter: { status: UNSOLVED, team: "end-user-computing" } } },
  { text: "tickets in category hardware", expect: { op: "list", filter: { status: UNSOLVED, category: "hardware" } } },
  { text: "list hardware tickets assigned to maria", expect: { op: "list", filter: { status: UNSOLVED, category: "hardware", assignee: "maria" } } },
  { text: "tickets assigned to maria@corp.test", expect: { op: "list", filter: { status: UNSOLVED, assignee: "maria@corp.test" } } },
  { text: "show overdue tickets sorted by due", expect: { op: "list", filter: { status: UNSOLVED, sla: ["breached"] }, sort: "due" } },
  { text: "show tickets including closed for team procurement", expect: { op: "list", filter: { team: "procurement" } } },
  { text: "tickets from maria", expect: "clarify" },
  { text: "tickets for maria", expect: "clarify" },
  // dates
  { text: "P1s opened this week", expect: { op: "list", filter: { priority: ["P1"], createdFrom: MONDAY } } },
  { text: "tickets created yesterday", expect: { op: "list", filter: { createdFrom: YESTERDAY, createdTo: TODAY } } },
  { text: "new tickets today", expect: { op: "list", filter: { status: ["new"], createdFrom: TODAY, createdTo: TOMORROW } } },
  { text: "tickets from the last 7 days", expect: { op: "list", filter: { createdFrom: "2026-11-17T23:00:00.000Z" } } },
  { text: "tickets since monday", expect: { op: "list", filter: { createdFrom: MONDAY } } },
  { text: "tickets in the last 2 weeks", expect: { op: "list", filter: { createdFrom: "2026-11-10T23:00:00.000Z" } } },
  { text: "tickets this month", expect: { op: "list", filter: { createdFrom: "2026-10-31T23:00:00.000Z" } } },
  { text: "tickets on 2026-11-20", expect: { op: "list", filter: { createdFrom: "2026-11-19T23:00:00.000Z", createdTo: "2026-11-20T23:00:00.000Z" } } },
  { text: "tickets from 1 nov to 15 nov", expect: { op: "list", filter: { createdFrom: "2026-10-31T23:00:00.000Z", createdTo: LAST_MONDAY } } },
  { text: "tickets between 1 nov and 10 nov", expect: { op: "list", filter: { createdFrom: "2026-10-31T23:00:00.000Z", createdTo: "2026-11-10T23:00:00.000Z" } } },
  { text: "last week tickets", expect: { op: "list", filter: { createdFrom: LAST_MONDAY, createdTo: MONDAY } } },
  { text: "resolved tickets last month", expect: { op: "list", filter: { status: ["resolved"], createdFrom: "2026-09-30T22:00:00.000Z", createdTo: "2026-10-31T23:00:00.000Z" } } },
  { text: "tickets created before 2026-11-01", expect: { op: "list", filter: { createdTo: "2026-10-31T23:00:00.000Z" } } },
  { text: "tickets after 20 november", expect: { op: "list", filter: { createdFrom: "2026-11-20T23:00:00.000Z" } } },
  { text: "tickets created in the last 24 hours", expect: { op: "list", filter: { createdFrom: "2026-11-24T10:30:00.000Z" } } },
  { text: "tickets on 20.11.2026", expect: { op: "list", filter: { createdFrom: "2026-11-19T23:00:00.000Z", createdTo: "2026-11-20T23:00:00.000Z" } } },
  { text: "tickets since last friday", expect: { op: "list", filter: { createdFrom: "2026-11-19T23:00:00.000Z" } } },
  { text: "tickets from 20 nov to 1 nov", expect: "clarify" },
  // stats
  { text: "how many P1s this week?", expect: { op: "stats", metric: "tickets", filter: { priority: ["P1"], createdFrom: MONDAY } } },
  { text: "breaches today", expect: { op: "stats", metric: "breaches", from: TODAY, to: TOMORROW } },
  { text: "how many SLA breaches this week", expect: { op: "stats", metric: "breaches", from: MONDAY } },
  { text: "count open tickets", expect: { op: "stats", metric: "tickets", filter: { status: UNSOLVED } } },
  { text: "how many unassigned tickets are there", expect: { op: "stats", metric: "tickets", filter: { status: UNSOLVED, assignee: "none" } } },
  { text: "P2 breaches this week", expect: { op: "stats", metric: "breaches", filter: { priority: ["P2"] }, from: MONDAY } },
  { text: "count P1s since monday", expect: { op: "stats", metric: "tickets", filter: { priority: ["P1"], createdFrom: MONDAY } } },
  { text: "number of tickets needing review", expect: { op: "stats", metric: "tickets", filter: { status: UNSOLVED, needsReview: true } } },
  // bulk
  { text: "close all my waiting tickets", expect: { op: "bulk", filter: { status: ["waiting"], assignee: "me" }, action: { status: "closed" } } },
  { text: "resolve all tickets waiting on the vendor", expect: { op: "bulk", filter: { status: ["waiting"], waitingReason: "third_party" }, action: { status: "resolved" } } },
  { text: "assign all unassigned hardware tickets to me", expect: { op: "bulk", filter: { status: UNSOLVED, category: "hardware", assignee: "none" }, action: { assignee: "me" } } },
  { text: "set all P4 storage tickets to P3", expect: { op: "bulk", filter: { status: UNSOLVED, priority: ["P4"], category: "storage" }, action: { priority: "P3" } } },
  { text: "take all unassigned P1 tickets", expect: { op: "bulk", filter: { status: UNSOLVED, priority: ["P1"], assignee: "none" }, action: { assignee: "me" } } },
  { text: "set all my waiting tickets to in progress", expect: { op: "bulk", filter: { status: ["waiting"], assignee: "me" }, action: { status: "in_progress" } } },
  { text: "mark all P4 tickets as resolved, cleanup", expect: { op: "bulk", filter: { status: UNSOLVED, priority: ["P4"] }, action: { status: "resolved", note: "cleanup" } } },
  { text: "assign all breached tickets to Maria Lopez", expect: { op: "bulk", filter: { status: UNSOLVED, sla: ["breached"] }, action: { assignee: "Maria Lopez" } } },
  { text: "close all tickets", expect: "clarify" },
  { text: "assign all to me", expect: "clarify" },
  { text: "close all tickets from alice@corp.test, duplicates", expect: { op: "bulk", filter: { status: UNSOLVED, requester: "alice@corp.test" }, action: { status: "closed", note: "duplicates" } } },
  // typos
  { text: "update T-12 to in progres", expect: { op: "update", key: "T-12", status: "in_progress" } },
  { text: "update t12 to inprogress", expect: { op: "update", key: "T-12", status: "in_progress" } },
  { text: "set T 12 to in-progress", expect: { op: "update", key: "T-12", status: "in_progress" } },
  { text: "set T-3 to wating", expect: { op: "update", key: "T-3", status: "waiting" } },
  { text: "mark T-7 as resovled", expect: { op: "resolve", key: "T-7", status: "resolved" } },
  { text: "set T-7 to closd", expect: { op: "resolve", key: "T-7", status: "closed" } },
  { text: "show hihg priority tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P2"] } } },
  { text: "urgnet tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P1"] } } },
  { text: "critcal tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P1"] } } },
  { text: "set T-3 to prio 2", expect: { op: "update", key: "T-3", priority: "P2" } },
  { text: "set T-3 to p2", expect: { op: "update", key: "T-3", priority: "P2" } },
  { text: "tickets with priority:high", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P2"] } } },
  { text: "sev1 tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P1"] } } },
  { text: "show wating tickets", expect: { op: "list", filter: { status: ["waiting"] } } },
  { text: "show mediumm priority tickets", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P3"] } } },
  { text: "set T-3 to hihg", expect: { op: "update", key: "T-3", priority: "P2" } },
  { text: "breached tickets with priorty high", expect: { op: "list", filter: { status: UNSOLVED, priority: ["P2"], sla: ["breached"] } } },
  { text: "tickets wating on the vendr", expect: { op: "list", filter: { status: ["waiting"], waitingReason: "third_party" } } },
  { text: "take it easy", expect: "unknown" },
  // help
  { text: "help", expect: { op: "help" } },
  { text: "what can you do", expect: { op: "help" } },
  { text: "?", expect: { op: "help" } },
  { text: "please help", expect: { op: "help" } },
  // unknown
  { text: "make me a sandwich", expect: "unknown" },
  { text: "delete everything", expect: "unknown" },
  { text: "delete T-5", expect: "unknown" },
  { text: "show me the weather", expect: "unknown" },
  { text: "escalate T-3", expect: "unknown" },
];
