import type { DbOrTx } from "@/db/client";
import { triageTicket } from "@/lib/triage/pipeline";
import type { ClassifyInput } from "./schemas";

/** The suggestion shown to requesters and returned by POST /api/tickets/classify. */
export interface TriageSuggestion {
  category: string;
  priority: string;
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
}

/** Classify without writing: category, priority and team with confidence and alternatives. */
export async function suggestTriage(db: DbOrTx, input: ClassifyInput): Promise<TriageSuggestion> {
  const t = await triageTicket(db, input);
  return {
    category: t.category,
    priority: t.priority,
    team: t.team,
    confidence: t.confidence,
    alternatives: t.alternatives,
    impact: t.impact,
    urgency: t.urgency,
    needsReview: t.needsReview,
    provider: t.provider,
    model: t.model,
    latencyMs: t.latencyMs,
  };
}
