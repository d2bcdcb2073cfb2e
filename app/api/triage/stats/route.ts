import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { checkStatsRange } from "@/lib/tickets/schemas";
import { getTriageStats, TriageStatsQuerySchema } from "@/lib/triage/stats";

export const dynamic = "force-dynamic";

/**
 * GET /api/triage/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&window=N — agents only.
 * → 200 {range, totals: {decisions, llm, llmShare, fallbacks, promptTokens, completionTokens, costUsd},
 * perDay[], byProvider, accuracy: {window, reviewed, correct, accuracy, overriddenByAgent}, reviewQueue}.
 * Errors: 400 (bad dates, from after to, a range over 731 days), 401, 403.
 */
export const GET = route({ auth: "agent", scope: "tickets:read", query: TriageStatsQuerySchema.superRefine(checkStatsRange) }, async ({ query }) =>
  getTriageStats(await getDb(), query),
);
