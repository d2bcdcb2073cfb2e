import type { FormState } from "@/lib/forms/form-state";

/*
 * What the /submit form's server actions (app/submit/actions.ts) return, shared by those
 * actions and the client form (submit-ticket-form.tsx).
 */

export type SubmitField = "title" | "description" | "email" | "category" | "priority" | "module" | "project" | "attachmentIds";

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
  /** How many files were attached with it. */
  attachments: number;
}

/**
 * The sheet finding a ticket is drafted from (/submit?upload=<id>&finding=<seq>): shown as a
 * note, and sent back as `fromUpload`/`fromFinding` so the action re-derives the ticket's
 * metadata on the server (lib/files/uploads/finding-ticket.ts) instead of trusting the browser.
 */
export interface FindingSource {
  uploadId: string;
  /** The finding's sequence number within the upload. */
  finding: number;
  filename: string;
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
