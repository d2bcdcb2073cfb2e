/**
 * The short text of an automatic assignment (ticket_assignments.reason, ≤ 200 chars) and the
 * shape the ticket page shows. Pure: imported by components/tickets/assignment-reason.tsx.
 */

/** What an automatic assignment did, as the ticket page shows it. */
export interface AssignmentInfo {
  /** The team's mode that made it. */
  mode: "auto" | "round_robin";
  /** The assignee's name; null when nobody was eligible (the ticket stayed unassigned). */
  assigneeName: string | null;
  /** e.g. "matched: vpn, cisco; load 3/8; in hours", or "nobody eligible: 2 out of hours". */
  reason: string;
  /** ISO time of the assignment. */
  at: string;
  /** Whether the ticket still has this assignee (an agent may have changed it since). */
  current: boolean;
  /** "LLM rerank: …" summary when an LLM reordered the candidates or failed to. */
  rerank: string | null;
}

/** Reason text of a chosen candidate: matched skills (or none), load before the assignment / capacity, hours. */
export function candidateReason(
  mode: "auto" | "round_robin",
  c: { matchedSkills: readonly string[]; load: number; capacity: number; inHours: boolean },
  opts: { reranked?: boolean } = {},
): string {
  const parts: string[] = [];
  if (mode === "round_robin") parts.push("round robin (least recently assigned)");
  else parts.push(c.matchedSkills.length ? `matched: ${c.matchedSkills.join(", ")}` : "no listed skill named in the ticket; closest profile");
  parts.push(`load ${c.load}/${c.capacity}`);
  parts.push(c.inHours ? "in hours" : "out of hours");
  if (opts.reranked) parts.push("LLM rerank");
  return clip(parts.join("; "));
}

/** Reason text when nobody could take the ticket: counts of who was filtered out and why. */
export function nobodyReason(excluded: readonly { excluded: string | null }[]): string {
  if (excluded.length === 0) return "nobody eligible: no active team member linked to an agent";
  const hours = excluded.filter((c) => c.excluded === "out_of_hours").length;
  const full = excluded.filter((c) => c.excluded === "at_capacity").length;
  const parts = [hours ? `${hours} out of hours` : "", full ? `${full} at capacity` : ""].filter(Boolean);
  return clip(`nobody eligible: ${parts.join(", ")}`);
}

function clip(s: string): string {
  return s.length <= 200 ? s : `${s.slice(0, 199)}…`;
}
