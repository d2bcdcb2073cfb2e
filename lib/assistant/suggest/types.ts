import type { Provenance } from "@/lib/assistant/types";

/*
 * What the per-ticket assistant suggests to an agent (GET /api/tickets/{key}/assistant).
 * Client-safe: the ticket page's assistant panel renders it.
 */

/** Kinds of next action the assistant suggests. */
export type SuggestedActionKind = "ask_detail" | "escalate" | "merge_duplicate" | "resolve_known_fix" | "assign" | "set_priority";

/** One suggested next action. Nothing runs until an agent sends `command` (or acts in the form). */
export interface SuggestedAction {
  kind: SuggestedActionKind;
  /** Short label ("Resolve with the fix from T-4"). */
  label: string;
  /** Why, or what to ask or do, in a sentence or two. */
  detail: string;
  /** The other ticket the action is about (the duplicate, the ticket whose fix applies). */
  ticketKey?: string;
  /** An assistant command that performs it ("resolve T-12, replaced the toner"), when one exists. */
  command?: string;
}

/** A similar resolved (or closed) ticket, with its resolution as a solution preview. */
export interface SimilarResolvedTicket {
  key: string;
  title: string;
  status: string;
  /** Cosine similarity, 0–1. */
  similarity: number;
  resolution: string | null;
  /** ISO 8601, or null. */
  resolvedAt: string | null;
  /** Desk path: `/tickets/T-4`. */
  href: string;
}

export interface TicketSuggestions {
  ticketKey: string;
  /** Suggested public reply to the requester, with the ticket keys it relies on; null when there is none. */
  reply: { text: string; citations: string[] } | null;
  actions: SuggestedAction[];
  similar: SimilarResolvedTicket[];
  /** `templates` when no LLM answered (none configured, or it failed: see fallbackReason). */
  provenance: Provenance;
  /** Keys the LLM cited that do not exist, the agent may not see, or were not in what it was given. Sorted. */
  droppedCitations: string[];
  /** Set when an LLM is configured but its answer was not used: `<provider>:<reason>` (timeout, invalid_json…). */
  fallbackReason: string | null;
}
