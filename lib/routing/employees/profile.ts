import "server-only";
import { normalizeTicketText } from "@/lib/triage/local/normalize";
import { embedTicket } from "@/lib/triage/similar";

/** The parts of an employee skill profile that describe what they can work on. */
export interface ProfileParts {
  department: string;
  skills: readonly string[];
  seniority?: string;
}

/**
 * The text of a skill profile as retrieval sees it: skills first, then the department (the
 * same words a ticket about that work would use). Used for the lexical match and the embedding.
 */
export function employeeProfileText(p: ProfileParts): string {
  return [p.skills.join(", "), p.department].filter(Boolean).join(". ");
}

/**
 * The local model's embedding of a profile (128 floats, L2-normalised) with the model
 * version, computed exactly as ticket embeddings are (normalised text → `embedTicket`), so
 * a ticket's and a profile's vectors compare by cosine.
 */
export function embedEmployeeProfile(p: ProfileParts): { model: string; vector: Float32Array } {
  return embedTicket(normalizeTicketText({ description: employeeProfileText(p) }));
}
