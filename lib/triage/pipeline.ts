import "server-only";
import crypto from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { TriageMode } from "@/db/schema";
import { env, type Env } from "@/lib/env";
import { createChatClient } from "@/lib/llm/client";
import { llmConfig } from "@/lib/llm/config";
import { LlmError } from "@/lib/llm/structured";
import { logger } from "@/lib/observability/logger";
import { countLlmUsage } from "@/lib/observability/metrics";
import { getReferenceData } from "@/lib/reference/cache";
import { LlmClassifier } from "./llm-classifier";
import { orgExamples } from "./org-examples";
import { LocalClassifier } from "./local-classifier";
import { normalizeTicketText } from "./local/normalize";
import { assessPriority } from "./priority";
import type { CategoryPrediction, TriageResult } from "./types";

/** Confidence under which a ticket goes to the human review queue (0–1). Env TRIAGE_REVIEW_THRESHOLD, default 0.8 (on dev, the tickets above it are right 95 % of the time; docs/EVALUATION.md). */
export function reviewThreshold(): number {
  return env().TRIAGE_REVIEW_THRESHOLD;
}

/** In hybrid mode the LLM is asked only when the local confidence is under this (0–1). Env TRIAGE_HYBRID_THRESHOLD, default 0.6. */
export function hybridThreshold(): number {
  return env().TRIAGE_HYBRID_THRESHOLD;
}

/**
 * TRIAGE_MODE: `local` (never call an LLM), `llm` (always ask the LLM, local as fallback) or
 * `hybrid` (ask the LLM only under the hybrid threshold). Default: hybrid when an LLM is
 * configured, local otherwise.
 */
export function triageModeSetting(): TriageMode {
  return env().TRIAGE_MODE ?? (cachedLlmConfig() ? "hybrid" : "local");
}

const globalForCfg = globalThis as unknown as { __switchboardLlmCfg?: { env: Env; cfg: ReturnType<typeof llmConfig> } };

/** llmConfig() for the current parsed environment, built once per env() object (it is read on every ticket). */
function cachedLlmConfig(): ReturnType<typeof llmConfig> {
  const e = env();
  const hit = globalForCfg.__switchboardLlmCfg;
  if (hit && hit.env === e) return hit.cfg;
  const cfg = llmConfig(e);
  globalForCfg.__switchboardLlmCfg = { env: e, cfg };
  return cfg;
}

const local = new LocalClassifier();

const globalForLlm = globalThis as unknown as {
  __switchboardLlm?: { signature: string; classifier: LlmClassifier | null };
};

/** The configured LLM classifier, rebuilt when the LLM settings change; null without an LLM. */
export function llmClassifier(): LlmClassifier | null {
  const cfg = cachedLlmConfig();
  const signature = JSON.stringify(cfg);
  const hit = globalForLlm.__switchboardLlm;
  if (hit && hit.signature === signature) return hit.classifier;
  const classifier = cfg ? new LlmClassifier(createChatClient(cfg), cfg, orgExamples()) : null;
  globalForLlm.__switchboardLlm = { signature, classifier };
  return classifier;
}

/**
 * Triage a ticket: category from the local model and/or an LLM depending on TRIAGE_MODE,
 * priority from ITIL impact × urgency rules, or the LLM's proposal when an LLM answered the
 * category with a valid priority (`prioritySource` says which; impact and urgency the LLM left
 * out come from the rules), team from the category → team map (data in the categories table).
 * An LLM failure of any kind (timeout, 429 after retries, 5xx, invalid or off-schema JSON) falls
 * back to the local answer and says why in `fallbackReason`; the tokens and cost of an LLM answer
 * that came back unusable are kept in the result. Text sent to an LLM is redacted first
 * (lib/llm/redact.ts). Writes nothing.
 * @param input.title optional; @param input.description raw text as the requester wrote it.
 * @param opts.normalized normalizeTicketText(input) when the caller already has it.
 */
export async function triageTicket(
  db: DbOrTx,
  input: { title?: string; description: string },
  opts: { normalized?: string } = {},
): Promise<TriageResult> {
  const ref = await getReferenceData(db);
  const active = ref.categories.filter((c) => c.active);
  const normalized = opts.normalized ?? normalizeTicketText({ title: input.title, description: input.description });
  const localPrediction = local.classifySync(normalized, active.map((c) => c.slug));
  const setting = triageModeSetting();
  let prediction: CategoryPrediction = localPrediction;
  let mode: TriageMode = setting;

  const llm = setting === "local" ? null : llmClassifier();
  if (setting !== "local" && !llm) mode = "local";
  if (llm && (setting === "llm" || localPrediction.confidence < hybridThreshold())) {
    const t0 = performance.now();
    try {
      await orgExamples().ensure(db);
      const answer = await llm.classify({ title: input.title, description: input.description, normalized }, active);
      const ranked = [
        { category: localPrediction.category, confidence: localPrediction.confidence },
        ...localPrediction.alternatives,
      ].filter((a) => a.category !== answer.category);
      countLlmUsage(llm.provider, "ok", answer);
      prediction = {
        ...answer,
        confidence: answer.category === localPrediction.category ? Math.max(answer.confidence, localPrediction.confidence) : answer.confidence,
        alternatives: ranked.slice(0, 3),
      };
    } catch (err) {
      const reason = err instanceof LlmError ? err.reason : "error";
      // An answer that failed the JSON or schema check was still billed: its tokens and cost
      // stay on the decision (and so in the triage rollups), with the local answer.
      const spent = err instanceof LlmError ? err.usage : { promptTokens: 0, completionTokens: 0 };
      logger.warn({ provider: llm.provider, reason, ...spent, err: err instanceof Error ? err.message : String(err) }, "LLM triage failed; using the local model");
      countLlmUsage(llm.provider, reason, { ...spent, costUsd: llm.costUsd(spent) });
      prediction = {
        ...localPrediction,
        latencyMs: localPrediction.latencyMs + (performance.now() - t0),
        promptTokens: localPrediction.promptTokens + spent.promptTokens,
        completionTokens: localPrediction.completionTokens + spent.completionTokens,
        costUsd: localPrediction.costUsd + llm.costUsd(spent),
        fallbackReason: `${llm.provider}:${reason}`,
      };
    }
  }

  // Priority: the LLM's proposal when it answered with a valid one, else the ITIL rules.
  const { proposedPriority, ...chosen } = prediction;
  const prio = assessPriority(input.title, input.description);
  const llmPrio = chosen.fallbackReason === null ? proposedPriority : undefined;
  return {
    ...chosen,
    mode,
    priority: llmPrio?.priority ?? prio.priority,
    prioritySource: llmPrio ? "llm" : "rules",
    impact: llmPrio?.impact ?? prio.impact,
    urgency: llmPrio?.urgency ?? prio.urgency,
    team: ref.teamByCategory.get(prediction.category) ?? null,
    inputHash: crypto.createHash("sha256").update(normalized).digest("hex"),
    needsReview: prediction.confidence < reviewThreshold(),
  };
}
