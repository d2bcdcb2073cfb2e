import type { Status } from "@/db/schema";
import { ApiError } from "@/lib/http/errors";

/**
 * Legal status transitions. `closed` is final; `resolved` can be reopened (→ open or
 * in_progress) or closed. Setting the current status again is a no-op, not a transition.
 */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  new: ["open", "in_progress", "waiting", "resolved", "closed"],
  open: ["in_progress", "waiting", "resolved", "closed"],
  in_progress: ["open", "waiting", "resolved", "closed"],
  waiting: ["open", "in_progress", "resolved", "closed"],
  resolved: ["open", "in_progress", "closed"],
  closed: [],
};

/** @throws ApiError 409 invalid_transition when `to` is not reachable from `from`. */
export function assertTransition(from: Status, to: Status): void {
  if (from === to) return;
  if (!TRANSITIONS[from].includes(to)) {
    throw new ApiError("invalid_transition", `A ${from} ticket cannot move to ${to}`, {
      from,
      to,
      allowed: TRANSITIONS[from],
    });
  }
}

/** Statuses in which a ticket still needs work (used for "open" views and duplicate hints). */
export const ACTIVE_STATUSES: readonly Status[] = ["new", "open", "in_progress", "waiting"];
