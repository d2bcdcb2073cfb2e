import type { FormState } from "@/lib/forms/form-state";

/*
 * What the /submit form's server actions (app/submit/actions.ts) return, shared by those
 * actions and the client form (submit-ticket-form.tsx).
 */

export type SubmitField = "title" | "description" | "email" | "category" | "priority" | "module" | "project";

export interface CreatedTicketSummary {
  key: string;
  title: string;
  category: string;
  categoryName: string;
  priority: string;
  team: string | null;
  teamName: string | null;
  /** Where the submitter can follow the ticket; null for anonymous submitters. */
  trackUrl: string | null;
}

export type SubmitTicketState = FormState<SubmitField, CreatedTicketSummary>;

export interface SuggestionView {
  category: string;
  priority: string;
  team: string | null;
  confidence: number;
  alternatives: { category: string; confidence: number }[];
  provider: string;
  model: string;
}

/** An existing ticket like the one being written (possible duplicate), with where the caller can open it. */
export interface SimilarTicketView {
  key: string;
  title: string;
  status: string;
  /** Cosine similarity, 0–1. */
  similarity: number;
  href: string;
}

export type SuggestResult =
  | { ok: true; suggestion: SuggestionView; similar: SimilarTicketView[] }
  | { ok: false; message: string };
