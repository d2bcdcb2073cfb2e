import type { Principal } from "@/lib/auth/principal";
import { hasRole, isStaff } from "@/lib/auth/principal";

/** Requesters: their own tickets only. */
const REQUESTER = [
  "create ticket printer on floor 3 jams on every page",
  "show T-12",
  "reply to T-12: it works again, thanks",
  "list my open tickets",
  "my tickets created this week",
];

/** Agents and admins. */
const STAFF = [
  "create ticket for API timeouts in production, high priority for jo@example.com",
  "show T-12",
  "update T-12 to in progress, investigating the load balancer",
  "take T-12",
  "assign T-12 to maria@example.com",
  "unassign T-12",
  "reply to T-12: we replaced the cable",
  "note on T-12: waiting for the vendor",
  "close T-7, replaced the switch",
  "show open P1 tickets",
  "tickets waiting on the requester",
  "how many P1 tickets this week?",
  "breaches today",
  "close all my waiting tickets",
];

const ADMIN = ["create category Printers for team end-user-computing"];

/**
 * Example commands the caller may use (the help answer, the command bar's hints): requesters
 * create, show, reply to and list their own tickets; agents also update, assign, add notes,
 * resolve, count (stats) and change many tickets at once (bulk); admins also create categories.
 */
export function helpFor(principal: Principal): string[] {
  if (!isStaff(principal)) return [...REQUESTER];
  return hasRole(principal, "admin") ? [...STAFF, ...ADMIN] : [...STAFF];
}
