import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/db/client";
import { resolveRange } from "@/lib/tickets/stats";
import { countReviewQueue } from "./review-queue";

/** GET /api/triage/stats query: UTC day range (default last 90 days) and the accuracy window. */
export const TriageStatsQuerySchema = z
  .strictObject({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    window: z.coerce.number().int().min(10).max(10_000).default(200).describe("Last N agent-reviewed tickets for accuracy"),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "from must not be after to", path: ["from"] });
export type TriageStatsQuery = z.infer<typeof TriageStatsQuerySchema>;

export interface TriageDay {
  day: string;
  decisions: number;
  /** Decisions answered by an LLM (not the local model). */
  llm: number;
  /** LLM calls that failed and fell back to the local model. */
  fallbacks: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface TriageStats {
  range: { from: string; to: string };
  totals: Omit<TriageDay, "day"> & { llmShare: number };
  perDay: TriageDay[];
  byProvider: Record<string, number>;
  /** Over the last `window` agent-reviewed decisions: predicted category = final category. */
  accuracy: { window: number; reviewed: number; correct: number; accuracy: number | null; overriddenByAgent: number };
  /** Tickets still waiting for an agent to confirm their triage (not resolved or closed). */
  reviewQueue: number;
}

const DAY_MS = 86_400_000;

/**
 * Triage accounting for decisions made in [from, to] (UTC days): decisions, LLM share,
 * fallbacks, tokens and estimated cost per day (from the triage_daily rollup plus pending
 * deltas, exact), accuracy over the last N agent-reviewed tickets, and the review queue size.
 */
export async function getTriageStats(db: Db, q: TriageStatsQuery): Promise<TriageStats> {
  const { from, to } = resolveRange(q);
  return db.transaction(
    async (tx) => {
      const daily = await rows<{ day: string; provider: string; decisions: number; fallbacks: number; pt: number; ct: number; cost: number }>(
        tx,
        sql`SELECT day::text AS day, provider, sum(decisions)::int AS decisions, sum(fallbacks)::int AS fallbacks,
                   sum(prompt_tokens)::float8 AS pt, sum(completion_tokens)::float8 AS ct, sum(cost_usd)::float8 AS cost
            FROM (SELECT * FROM triage_daily WHERE day BETWEEN ${from}::date AND ${to}::date
                  UNION ALL SELECT * FROM triage_daily_deltas WHERE day BETWEEN ${from}::date AND ${to}::date) x
            GROUP BY day, provider HAVING sum(decisions) <> 0`,
      );
      const [acc] = await rows<{ reviewed: number; correct: number; overridden: number }>(
        tx,
        sql`SELECT count(*)::int AS reviewed, count(*) FILTER (WHERE predicted_category = final_category)::int AS correct,
                   count(*) FILTER (WHERE overridden_by = 'agent')::int AS overridden
            FROM (SELECT predicted_category, final_category, overridden_by FROM triage_decisions
                  WHERE reviewed_at IS NOT NULL ORDER BY reviewed_at DESC LIMIT ${q.window}) r`,
      );
      const reviewQueue = await countReviewQueue(tx);

      const byDay = new Map<string, TriageDay>();
      const byProvider: Record<string, number> = {};
      for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
        const day = new Date(t).toISOString().slice(0, 10);
        byDay.set(day, { day, decisions: 0, llm: 0, fallbacks: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 });
      }
      for (const r of daily) {
        const d = byDay.get(String(r.day).slice(0, 10));
        if (!d) continue;
        const n = Number(r.decisions);
        d.decisions += n;
        if (r.provider !== "local") d.llm += n;
        d.fallbacks += Number(r.fallbacks);
        d.promptTokens += Number(r.pt);
        d.completionTokens += Number(r.ct);
        d.costUsd += Number(r.cost);
        byProvider[r.provider] = (byProvider[r.provider] ?? 0) + n;
      }
      const perDay = [...byDay.values()];
      const sum = (f: (d: TriageDay) => number) => perDay.reduce((a, d) => a + f(d), 0);
      const decisions = sum((d) => d.decisions);
      const llm = sum((d) => d.llm);
      const reviewed = Number(acc?.reviewed ?? 0);
      const correct = Number(acc?.correct ?? 0);
      return {
        range: { from, to },
        totals: {
          decisions,
          llm,
          llmShare: decisions ? llm / decisions : 0,
          fallbacks: sum((d) => d.fallbacks),
          promptTokens: sum((d) => d.promptTokens),
          completionTokens: sum((d) => d.completionTokens),
          costUsd: sum((d) => d.costUsd),
        },
        perDay,
        byProvider,
        accuracy: { window: q.window, reviewed, correct, accuracy: reviewed ? correct / reviewed : null, overriddenByAgent: Number(acc?.overridden ?? 0) },
        reviewQueue,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
