import type { TicketDTO } from "@/lib/tickets/dto";
import type { DuplicateCandidate } from "./retrieve";
import { clipText, missingDetail } from "./templates";
import type { SimilarResolvedTicket, SuggestedAction } from "./types";

/** Characters of a resolution put into a `resolve` command. */
const MAX_COMMAND_FIX = 300;

/** Assistant commands (lib/assistant/ops.ts phrasings) that perform a suggested action. */
export const commands = {
  reply: (key: string, body: string) => `reply to ${key}: ${body}`,
  resolve: (key: string, resolution: string) => `resolve ${key}, ${clipText(resolution, MAX_COMMAND_FIX)}`,
  take: (key: string) => `take ${key}`,
  priority: (key: string, priority: string) => `update ${key} to ${priority}`,
};

/** The command that resolves the newer of two duplicate tickets as a duplicate of the older. */
export function mergeCommand(ticket: { key: string; createdAt: string }, dup: { key: string; createdAt: string }): { command: string; newer: string; older: string } {
  const thisIsNewer = Date.parse(ticket.createdAt) >= Date.parse(dup.createdAt);
  const [newer, older] = thisIsNewer ? [ticket.key, dup.key] : [dup.key, ticket.key];
  return { command: commands.resolve(newer, `duplicate of ${older}`), newer, older };
}

/**
 * Next actions from rules, most urgent first:
 * - escalate: priority P1/P2, SLA at risk or breached, or triage needs review;
 * - set_priority (to P2): SLA at risk or breached on a P3/P4 ticket;
 * - assign ("take"): nobody is assigned;
 * - merge_duplicate: per near-duplicate open ticket (the newer of the two is resolved as a duplicate of the older);
 * - resolve_known_fix: the most similar resolved ticket with a resolution;
 * - ask_detail: the description is short or lacks what its category needs (lib/assistant/suggest/templates.ts).
 * Resolved and closed tickets get none.
 */
export function ruleActions(ticket: TicketDTO, similar: readonly SimilarResolvedTicket[], duplicates: readonly DuplicateCandidate[]): SuggestedAction[] {
  if (ticket.status === "resolved" || ticket.status === "closed") return [];
  const key = ticket.key;
  const out: SuggestedAction[] = [];
  const slaState = ticket.sla?.state;
  const slaHot = slaState === "at_risk" || slaState === "breached";

  const reasons: string[] = [];
  if (ticket.priority === "P1" || ticket.priority === "P2") reasons.push(`priority ${ticket.priority}`);
  if (slaHot) reasons.push(slaState === "breached" ? "the SLA is breached" : "the SLA is at risk");
  if (ticket.needsReview) reasons.push("triage needs review (the model was unsure)");
  if (reasons.length) {
    out.push({ kind: "escalate", label: "Escalate", detail: `Escalate to a senior agent or the team lead: ${reasons.join(", ")}.` });
  }
  if (slaHot && (ticket.priority === "P3" || ticket.priority === "P4")) {
    out.push({ kind: "set_priority", label: "Raise priority to P2", detail: `The SLA is ${slaState === "breached" ? "breached" : "at risk"} on a ${ticket.priority} ticket.`, command: commands.priority(key, "P2") });
  }
  if (!ticket.assignee) {
    out.push({ kind: "assign", label: "Take the ticket", detail: "Nobody is assigned yet.", command: commands.take(key) });
  }
  for (const d of duplicates) {
    const { command, newer, older } = mergeCommand(ticket, d);
    out.push({
      kind: "merge_duplicate",
      label: `Merge with ${d.key}`,
      detail: `${d.key} ("${clipText(d.title, 80)}") is still ${d.status.replace("_", " ")}, ${Math.round(d.similarity * 100)}% similar${d.sameRequester ? ", from the same requester" : ""}. Resolve ${newer} as a duplicate of ${older}.`,
      ticketKey: d.key,
      command,
    });
  }
  const fix = similar.find((s) => s.resolution);
  if (fix?.resolution) {
    out.push({
      kind: "resolve_known_fix",
      label: `Resolve with the fix from ${fix.key}`,
      detail: `${fix.key} ("${clipText(fix.title, 80)}", ${Math.round(fix.similarity * 100)}% similar) was fixed by: ${clipText(fix.resolution, 200)}`,
      ticketKey: fix.key,
      command: commands.resolve(key, fix.resolution),
    });
  }
  const missing = missingDetail(ticket.category, ticket.title, ticket.description);
  if (missing) {
    out.push({
      kind: "ask_detail",
      label: `Ask for the ${missing.need}`,
      detail: missing.short ? `The description is short. ${missing.question}` : missing.question,
      command: commands.reply(key, missing.question),
    });
  }
  return out;
}
