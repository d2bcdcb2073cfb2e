import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { triageTicket } from "@/lib/triage/pipeline";
import { findSimilarTickets, type SimilarTicket } from "@/lib/triage/similar";
import type { ClassifyInput } from "./schemas";

/** The suggestion shown to requesters and returned by POST /api/tickets/classify. */
export interface TriageSuggestion {
  category: string;
  priority: string;
  /** Who set the priority: the ITIL rules or the LLM that answered the category. */
  prioritySource: "rules" | "llm";
  team: string | null;
  /** 0–1, calibrated. */
  confidence: number;
  alternatives: { category: string; confidence: number }[];
  impact: string;
  urgency: string;
  needsReview: boolean;
  provider: string;
  model: string;
  latencyMs: number;
  /** Up to 5 existing tickets the caller may see, most similar first (possible duplicates). */
  similar: SimilarTicket[];
}

/**
 * Classify without writing: category, priority and team with confidence and alternatives, plus
 * similar existing tickets (agents: any; requesters: their own; anonymous: none).
 */
export async function suggestTriage(db: DbOrTx, input: ClassifyInput, principal: Principal | null = null): Promise<TriageSuggestion> {
  const [t, similar] = await Promise.all([
    triageTicket(db, input),
    findSimilarTickets(db, normalizeTicketText({ title: input.title, description: input.description }), principal),
  ]);
  return {
    category: t.category,
    priority: t.priority,
    prioritySource: t.prioritySource,
    team: t.team,
    confidence: t.confidence,
    alternatives: t.alternatives,
    impact: t.impact,
    urgency: t.urgency,
    needsReview: t.needsReview,
    provider: t.provider,
    model: t.model,
    latencyMs: t.latencyMs,
    similar,
  };
}
