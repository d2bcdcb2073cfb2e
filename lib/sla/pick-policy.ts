import type { Priority } from "@/db/schema/enums";

/** What {@link pickPolicy} needs of a policy. */
export interface PolicyCandidate {
  id: string;
  priority: Priority;
  active: boolean;
  categorySlug: string | null;
  teamSlug: string | null;
  /** Requester organisation: e-mail domain, lower case. */
  orgDomain: string | null;
  createdAt: Date | string;
}

/** What {@link pickPolicy} needs of a ticket. */
export interface PolicyTicket {
  priority: Priority;
  categorySlug: string;
  teamSlug: string | null;
  requesterEmail: string;
}

/** The requester's organisation: the part after the last `@`, lower case ("" when none). */
export function requesterDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? "" : email.slice(at + 1).trim().toLowerCase();
}

/**
 * How specific a policy is, as a sortable tuple (higher first): the number of narrowing fields
 * set, then a weight where organisation (4) > category (2) > team (1).
 */
export function policySpecificity(p: Pick<PolicyCandidate, "categorySlug" | "teamSlug" | "orgDomain">): [number, number] {
  const org = p.orgDomain ? 1 : 0;
  const cat = p.categorySlug ? 1 : 0;
  const team = p.teamSlug ? 1 : 0;
  return [org + cat + team, org * 4 + cat * 2 + team];
}

const ms = (d: Date | string) => (d instanceof Date ? d : new Date(d)).getTime();

/**
 * Which SLA policy applies to a ticket (pure; docs/SLA.md "Which policy applies"):
 * 1. Candidates: active policies with the ticket's priority whose narrowing fields that are set
 *    (category, team, organisation = requester e-mail domain, lower case) all equal the
 *    ticket's. A policy with none set is the priority's catch-all.
 * 2. The most specific candidate wins: more narrowing fields set first; on a tie, organisation
 *    beats category beats team (so org+team beats category+team, and category beats team);
 *    then the oldest (`createdAt`); then the smallest id, so the choice is always the same.
 * @returns the winning policy, or null when no candidate matches.
 */
export function pickPolicy<P extends PolicyCandidate>(policies: readonly P[], ticket: PolicyTicket): P | null {
  const domain = requesterDomain(ticket.requesterEmail);
  let best: P | null = null;
  let bestKey: [number, number] = [-1, -1];
  for (const p of policies) {
    if (!p.active || p.priority !== ticket.priority) continue;
    if (p.categorySlug && p.categorySlug !== ticket.categorySlug) continue;
    if (p.teamSlug && p.teamSlug !== ticket.teamSlug) continue;
    if (p.orgDomain && p.orgDomain.toLowerCase() !== domain) continue;
    const key = policySpecificity(p);
    const better =
      best === null ||
      key[0] > bestKey[0] ||
      (key[0] === bestKey[0] &&
        (key[1] > bestKey[1] ||
          (key[1] === bestKey[1] && (ms(p.createdAt) < ms(best.createdAt) || (ms(p.createdAt) === ms(best.createdAt) && p.id < best.id)))));
    if (better) {
      best = p;
      bestKey = key;
    }
  }
  return best;
}
