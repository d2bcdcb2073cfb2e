import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { createChatClient } from "@/lib/llm/client";
import { llmConfig } from "@/lib/llm/config";
import { redact } from "@/lib/llm/redact";
import { completeJson, LlmError } from "@/lib/llm/structured";
import type { Candidate } from "./rank";

/** How many of the locally ranked candidates the LLM sees and may reorder. */
export const RERANK_TOP = 5;

/**
 * What the rerank did: `used` (the LLM's order applies to the top {@link RERANK_TOP}),
 * `failed` (the local order is kept; `reason` says why: timeout, invalid_json, schema_mismatch,
 * duplicate ids, …) or `skipped` (no LLM configured, TRIAGE_MODE=local, or fewer than two
 * candidates).
 */
export type RerankOutcome =
  | { status: "used"; provider: string; model: string; reason: string; promptTokens: number; completionTokens: number }
  | { status: "failed"; provider: string; model: string; reason: string }
  | { status: "skipped"; reason: string };

const SYSTEM = [
  "You assign IT service desk tickets to the best person of a support team.",
  "You get the ticket and up to five candidates (id, skills, seniority, open tickets / capacity), already ranked by a skill search.",
  "Order the candidates from best to worst for this ticket: prefer the skills the ticket needs, then seniority fitting its difficulty, then lower load.",
  'Answer with one JSON object: {"order": [candidate ids, best first, each exactly once], "reason": "one short sentence"}.',
].join(" ");

/**
 * Rerank the top {@link RERANK_TOP} candidates with the configured LLM (strict JSON checked by
 * zod: `order` must be exactly the ids given, each once). The ticket text is redacted (e-mails,
 * phone numbers, secrets) before it leaves. With TRIAGE_MODE=local no LLM is called. Never
 * throws: on any failure the local order is kept and the outcome says why.
 *
 * @param candidates eligible candidates in local order.
 * @returns the (possibly reordered) candidates and the outcome.
 */
export async function rerankWithLlm(
  ticket: { title: string; description: string },
  candidates: Candidate[],
): Promise<{ order: Candidate[]; outcome: RerankOutcome }> {
  if (candidates.length < 2) return { order: candidates, outcome: { status: "skipped", reason: "fewer than two candidates" } };
  const e = env();
  if (e.TRIAGE_MODE === "local") return { order: candidates, outcome: { status: "skipped", reason: "TRIAGE_MODE=local" } };
  let cfg: ReturnType<typeof llmConfig>;
  try {
    cfg = llmConfig(e);
  } catch (err) {
    return { order: candidates, outcome: { status: "skipped", reason: `LLM misconfigured: ${(err as Error).message}`.slice(0, 200) } };
  }
  if (!cfg) return { order: candidates, outcome: { status: "skipped", reason: "no LLM configured" } };

  const top = candidates.slice(0, RERANK_TOP);
  const ids = top.map((_, i) => `c${i + 1}`);
  const schema = z
    .object({ order: z.array(z.enum(ids as [string, ...string[]])).length(ids.length), reason: z.string().max(500) })
    .strict()
    .refine((a) => new Set(a.order).size === a.order.length, { message: "order lists a candidate twice" });
  const user = JSON.stringify({
    ticket: { title: redact(ticket.title).text, description: redact(ticket.description).text.slice(0, 4000) },
    candidates: top.map((c, i) => ({
      id: ids[i],
      skills: c.skills,
      matchedSkills: c.matchedSkills,
      seniority: c.seniority,
      openTickets: c.load,
      capacity: c.capacity,
      localScore: c.score,
    })),
  });
  try {
    const r = await completeJson(
      createChatClient(cfg),
      {
        system: SYSTEM,
        user,
        jsonSchema: {
          name: "assignee_rerank",
          schema: {
            type: "object",
            properties: {
              order: { type: "array", items: { type: "string", enum: ids } },
              reason: { type: "string" },
            },
            required: ["order", "reason"],
            additionalProperties: false,
          },
        },
        maxTokens: 200,
      },
      schema,
      cfg.timeoutMs,
    );
    const reordered = r.data.order.map((id) => top[ids.indexOf(id)]);
    return {
      order: [...reordered, ...candidates.slice(RERANK_TOP)],
      outcome: { status: "used", provider: cfg.provider, model: r.model, reason: r.data.reason, promptTokens: r.promptTokens, completionTokens: r.completionTokens },
    };
  } catch (err) {
    const reason = err instanceof LlmError ? `${err.reason}: ${err.message}` : (err as Error).message;
    return { order: candidates, outcome: { status: "failed", provider: cfg.provider, model: cfg.model, reason: reason.slice(0, 300) } };
  }
}
