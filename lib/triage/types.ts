import type { Priority, TriageMode } from "@/db/schema";

/** One ranked alternative category with its probability (0–1). */
export interface CategoryScore {
  category: string;
  confidence: number;
}

/** What a category classifier returns for one ticket. */
export interface CategoryPrediction {
  /** Category slug. */
  category: string;
  /** Calibrated probability of `category`, 0–1. */
  confidence: number;
  /** Other categories, most likely first (top 3, excluding `category`). */
  alternatives: CategoryScore[];
  provider: string;
  model: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Set when an LLM call failed and the local model answered instead. */
  fallbackReason: string | null;
  /**
   * The priority an LLM proposed with its category (ITIL impact × urgency), when it gave a valid
   * one; absent for the local model and for LLM answers without a valid priority.
   */
  proposedPriority?: ProposedPriority;
}

/** An LLM's priority proposal: P1–P4, with its impact and urgency when it gave valid ones. */
export interface ProposedPriority {
  priority: Priority;
  impact: "high" | "medium" | "low" | null;
  urgency: "high" | "medium" | "low" | null;
}

/** The full triage suggestion for a ticket: category, priority and team, with provenance. */
export interface TriageResult extends CategoryPrediction {
  mode: TriageMode;
  priority: Priority;
  /** Who set `priority`: the ITIL rules (lib/triage/priority.ts) or the LLM that answered the category. */
  prioritySource: "rules" | "llm";
  /** Team slug from the category → team map; null when the category has no team. */
  team: string | null;
  impact: "high" | "medium" | "low";
  urgency: "high" | "medium" | "low";
  /** SHA-256 hex of the normalised text the classifier saw. */
  inputHash: string;
  /** Under the review threshold: an agent should confirm before the ticket is worked. */
  needsReview: boolean;
}

/** What a classifier sees of a ticket: the raw text and its normalised form. */
export interface TriageInput {
  title?: string;
  description: string;
  /** normalizeTicketText(title, description): the training text's style. */
  normalized: string;
}

/** A category the classifier may choose, with what it means (LLM prompts use the description). */
export interface CategoryChoice {
  slug: string;
  name: string;
  description: string;
}

/** A category classifier: the local model or an LLM provider. */
export interface Classifier {
  readonly provider: string;
  readonly model: string;
  /** @param allowed active categories to choose from. */
  classify(input: TriageInput, allowed: readonly CategoryChoice[]): Promise<CategoryPrediction>;
}
