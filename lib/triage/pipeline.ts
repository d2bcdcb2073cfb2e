import crypto from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { getReferenceData } from "@/lib/reference/cache";
import { LocalClassifier } from "./local-classifier";
import { normalizeTicketText } from "./local/normalize";
import { assessPriority } from "./priority";
import type { TriageResult } from "./types";

/** Confidence under which a ticket goes to the human review queue (0–1). Env TRIAGE_REVIEW_THRESHOLD, default 0.5. */
export function reviewThreshold(): number {
  const v = Number(process.env.TRIAGE_REVIEW_THRESHOLD ?? "0.5");
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : 0.5;
}

const local = new LocalClassifier();

/**
 * Triage a ticket: category from the classifier, priority from ITIL impact × urgency rules,
 * team from the category → team map (data in the categories table). Writes nothing.
 * @param input.title optional; @param input.description raw text as the requester wrote it.
 * @returns the suggestion with provenance (provider, model, latency ms, tokens, input hash).
 */
export async function triageTicket(db: DbOrTx, input: { title?: string; description: string }): Promise<TriageResult> {
  const ref = await getReferenceData(db);
  const allowed = ref.categories.filter((c) => c.active).map((c) => c.slug);
  const text = normalizeTicketText({ title: input.title, description: input.description });
  const prediction = local.classifySync(text, allowed);
  const prio = assessPriority(input.title, input.description);
  return {
    ...prediction,
    mode: "local",
    priority: prio.priority,
    impact: prio.impact,
    urgency: prio.urgency,
    team: ref.teamByCategory.get(prediction.category) ?? null,
    inputHash: crypto.createHash("sha256").update(text).digest("hex"),
    needsReview: prediction.confidence < reviewThreshold(),
  };
}
