import { z } from "zod";
import type { ChatClient } from "@/lib/llm/client";
import type { LlmConfig } from "@/lib/llm/config";
import { estimateCostUsd } from "@/lib/llm/prices";
import { redact } from "@/lib/llm/redact";
import { completeJson, type LlmUsage } from "@/lib/llm/structured";
import type { CategoryChoice, CategoryPrediction, Classifier, TriageInput } from "./types";

/** A labelled ticket from the organisation's own history, used as a few-shot example. */
export interface LabelledExample {
  text: string;
  category: string;
}

/** Finds the organisation's labelled tickets nearest to a new one. */
export interface ExampleSource {
  nearest(normalizedText: string, k: number): LabelledExample[];
}

/** Characters of the ticket sent to the LLM (keeps prompts compact and bounded). */
const MAX_TICKET_CHARS = 1200;
/** Characters of each few-shot example. */
const MAX_EXAMPLE_CHARS = 240;
/** Room for {"category","confidence","priority","impact","urgency"} (about 35 tokens). */
const MAX_COMPLETION_TOKENS = 80;
const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
const LEVELS = ["high", "medium", "low"] as const;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** System prompt: the categories with their meaning, and the answer format. */
export function buildSystemPrompt(categories: readonly CategoryChoice[]): string {
  const lines = categories.map((c) => `- ${c.slug}: ${c.name}${c.description ? ` (${c.description})` : ""}`);
  return [
    "You triage IT service desk tickets. Pick the one category that fits the ticket best.",
    "Categories:",
    ...lines,
    "Also set the priority by ITIL impact (high: company or customers, medium: a team or site, low: one person) × urgency (high: work stopped or due today, medium: degraded or due within days, low: no time pressure): P1 high×high; P2 high×medium or medium×high; P3 high×low, medium×medium or low×high; P4 otherwise.",
    'Answer with JSON only: {"category": "<slug>", "confidence": <probability 0-1 that the category is right>, "priority": "P1"-"P4", "impact": "high"|"medium"|"low", "urgency": "high"|"medium"|"low"}.',
  ].join("\n");
}

/** User prompt: nearest labelled examples, then the (redacted) ticket. */
export function buildUserPrompt(ticket: string, examples: readonly LabelledExample[]): string {
  const parts: string[] = [];
  if (examples.length) {
    parts.push("Labelled tickets from this organisation:");
    for (const e of examples) parts.push(`Ticket: ${clip(redact(e.text).text, MAX_EXAMPLE_CHARS)}\nCategory: ${e.category}`);
    parts.push("");
  }
  parts.push(`Ticket to classify:\n${ticket}`);
  return parts.join("\n");
}

/**
 * Category classification by an LLM (OpenAI, Azure OpenAI, Groq or an OpenAI-compatible
 * server): redacted ticket text, the categories with their descriptions, the k nearest
 * labelled tickets of the organisation as examples, and a strict JSON answer checked by zod.
 * The answer also proposes a priority (P1–P4 with ITIL impact and urgency); a missing or invalid
 * priority is dropped (`proposedPriority` absent), not an error: the rules set it then.
 * The LLM's stated confidence is recorded as given (LLMs are not calibrated; the review
 * threshold is meant for the local model's calibrated probabilities).
 * @throws LlmError (see lib/llm/structured.ts) on timeout, HTTP errors, invalid or off-schema JSON;
 *   its `usage` holds the tokens of an answer that came back unusable (price it with `costUsd`).
 */
export class LlmClassifier implements Classifier {
  readonly provider: string;
  readonly model: string;
  constructor(
    private readonly client: ChatClient,
    private readonly cfg: LlmConfig,
    private readonly examples: ExampleSource | null,
  ) {
    this.provider = client.provider;
    this.model = client.model;
  }

  /** Estimated cost (USD) of `usage` at this provider's price (LLM_PRICE_* or the built-in table). */
  costUsd(usage: LlmUsage): number {
    return estimateCostUsd(this.model, usage.promptTokens, usage.completionTokens, this.cfg.price);
  }

  async classify(input: TriageInput, allowed: readonly CategoryChoice[]): Promise<CategoryPrediction> {
    const slugs = allowed.map((c) => c.slug) as [string, ...string[]];
    // The priority is optional on the way back: a missing or invalid one leaves the priority to the rules.
    const Answer = z.object({
      category: z.enum(slugs),
      confidence: z.number().min(0).max(1),
      priority: z.enum(PRIORITIES).optional().catch(undefined),
      impact: z.enum(LEVELS).optional().catch(undefined),
      urgency: z.enum(LEVELS).optional().catch(undefined),
    });
    const raw = `${input.title ? `${input.title}\n` : ""}${input.description}`;
    const ticket = clip(redact(raw).text, MAX_TICKET_CHARS);
    const examples = this.examples && this.cfg.fewShotK > 0 ? this.examples.nearest(input.normalized, this.cfg.fewShotK).filter((e) => slugs.includes(e.category)) : [];
    const r = await completeJson(
      this.client,
      {
        system: buildSystemPrompt(allowed),
        user: buildUserPrompt(ticket, examples),
        jsonSchema: {
          name: "ticket_category",
          schema: {
            type: "object",
            properties: {
              category: { type: "string", enum: slugs },
              confidence: { type: "number", minimum: 0, maximum: 1 },
              priority: { type: "string", enum: PRIORITIES },
              impact: { type: "string", enum: LEVELS },
              urgency: { type: "string", enum: LEVELS },
            },
            required: ["category", "confidence", "priority", "impact", "urgency"],
            additionalProperties: false,
          },
        },
        maxTokens: MAX_COMPLETION_TOKENS,
      },
      Answer,
      this.cfg.timeoutMs,
    );
    return {
      category: r.data.category,
      confidence: r.data.confidence,
      alternatives: [],
      provider: this.provider,
      model: r.model || this.model,
      latencyMs: r.latencyMs,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      costUsd: this.costUsd(r),
      fallbackReason: null,
      ...(r.data.priority ? { proposedPriority: { priority: r.data.priority, impact: r.data.impact ?? null, urgency: r.data.urgency ?? null } } : {}),
    };
  }
}
