import "server-only";
import { z } from "zod";
import type { Severity } from "@/lib/files/types";
import { createChatClient, type ChatClient } from "@/lib/llm/client";
import { llmConfig, type LlmConfig } from "@/lib/llm/config";
import { estimateCostUsd } from "@/lib/llm/prices";
import { redact } from "@/lib/llm/redact";
import { completeJson, LlmError } from "@/lib/llm/structured";
import { logger } from "@/lib/observability/logger";
import { countLlmUsage } from "@/lib/observability/metrics";
import { SEVERITY_RANK, type ComplianceFindingCode, type ComplianceResult } from "./evaluator";

/*
 * Insights for a checked compliance sheet: a short plain-text summary of what is wrong.
 * Deterministic (always available, same input → same text) or written by the configured LLM
 * from aggregated counts and a few redacted example findings, accepted only when every number
 * it states and every code it cites is in what it was given; otherwise the deterministic text.
 */

/** What each finding code means, for people and for the LLM prompt. */
export const FINDING_CODE_MEANINGS: Record<ComplianceFindingCode, string> = {
  missing_column: "a column the rules need is not in the sheet",
  empty_value: "a cell that must be filled is empty",
  value_not_allowed: "a value outside the allowed list",
  pattern_mismatch: "a value that does not match the required format",
  out_of_range: "a number or date outside the allowed range",
  cross_field_violation: "two columns of a row contradict a rule (e.g. expiry not after manufacture)",
  duplicate_value: "a value (combination) that must be unique appears again",
  missing_reference: "a value not found in the referenced register",
  invalid_number: "a cell that should hold a number does not",
  invalid_date: "a cell that should hold a date (YYYY-MM-DD) does not",
  missing_reference_dataset: "the register a rule looks values up in has not been uploaded",
  pattern_timeout: "a format rule was stopped because matching took too long",
};

/** Insights text and who wrote it. */
export interface Insights {
  text: string;
  /** `llm:<model>` or `deterministic`. */
  source: string;
  /** Why an LLM was configured but its answer not used: `<provider>:<reason>` (reason: an LlmFailure, `ungrounded_number` or `unknown_code`). */
  fallbackReason?: string;
  /** The particular: e.g. "the summary states 1234, which is not in the facts given". */
  fallbackDetail?: string;
  /** Tokens the provider billed (used or not). */
  promptTokens?: number;
  completionTokens?: number;
}

/** A chat client and its configuration, as {@link insightsLlm} builds them from the environment. */
export interface InsightsLlm {
  client: ChatClient;
  cfg: LlmConfig;
}

const TOP_CODES = 5;
const EXAMPLES_PER_CODE = 2;
const MAX_EXAMPLES = 10;
const MAX_EXAMPLE_CHARS = 160;
const MAX_LIST = 15;
const MAX_COMPLETION_TOKENS = 400;
export const MAX_SUMMARY_CHARS = 1200;

const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Codes with findings, most serious first: severity, then count (descending), then code. */
function rankedCodes(result: ComplianceResult): { code: ComplianceFindingCode; count: number; severity: Severity }[] {
  return (Object.entries(result.counts.byCode) as [ComplianceFindingCode, number][])
    .map(([code, count]) => ({ code, count, severity: result.counts.severityByCode[code] ?? "error" }))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count || a.code.localeCompare(b.code));
}

/**
 * A plain-text summary of a check: rows, rows with errors (and their share), findings by
 * severity, then the top 5 codes (most serious first: severity, count, code) each with its
 * count and first example (row, column, message). Deterministic: the same result gives the
 * same text. Example messages quote cell values; the text is stored on the upload, shown to
 * staff, and never sent to an LLM.
 */
export function deterministicInsights(result: ComplianceResult): string {
  const { rows, rowsWithErrors, totalFindings } = result;
  const sev = result.counts.bySeverity;
  const head = `Rule set "${result.ruleSet}" on sheet "${result.sheet}": ${fmt(rows)} rows checked, ${fmt(rowsWithErrors)} with errors (${pct(rowsWithErrors, rows)}%).`;
  if (totalFindings === 0) return `${head}\nNo findings: every rule passed.`;
  const lines = [
    head,
    `${fmt(totalFindings)} findings: ${fmt(sev.error)} errors, ${fmt(sev.warning)} warnings, ${fmt(sev.info)} info.`,
    "Top findings:",
  ];
  const ranked = rankedCodes(result);
  ranked.slice(0, TOP_CODES).forEach(({ code, count, severity }, i) => {
    const ex = result.examples[code]?.[0];
    const where = ex ? ` e.g. row ${ex.row}${ex.column ? `, ${ex.column}` : ""}: ${clip(ex.message, 200)}` : "";
    lines.push(`${i + 1}. ${code} (${severity}): ${fmt(count)} (${FINDING_CODE_MEANINGS[code]}).${where}`);
  });
  if (ranked.length > TOP_CODES) lines.push(`…and ${ranked.length - TOP_CODES} more kinds of finding.`);
  if (result.truncated) lines.push(`Only the first ${fmt(result.findings.length)} findings are listed; the counts cover all.`);
  return lines.join("\n");
}

/**
 * The facts the LLM is given: aggregated counts per code, rule and column, and a few example
 * findings whose messages and columns are redacted (lib/llm/redact.ts) and clipped. No other
 * cell value leaves.
 */
export function insightFacts(result: ComplianceResult) {
  const ranked = rankedCodes(result);
  const examples: { code: string; row: number; column: string | null; message: string }[] = [];
  for (const { code } of ranked) {
    for (const f of (result.examples[code] ?? []).slice(0, EXAMPLES_PER_CODE)) {
      if (examples.length >= MAX_EXAMPLES) break;
      examples.push({ code, row: f.row, column: f.column === null ? null : redact(f.column).text, message: clip(redact(f.message).text, MAX_EXAMPLE_CHARS) });
    }
  }
  const top = (rec: Record<string, number>) =>
    Object.entries(rec)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_LIST);
  const ruleType = new Map(result.rules.map((r) => [r.key, r.type]));
  return {
    ruleSet: redact(result.ruleSet).text,
    sheet: redact(result.sheet).text,
    rows: result.rows,
    rowsWithErrors: result.rowsWithErrors,
    rowsWithErrorsPercent: pct(result.rowsWithErrors, result.rows),
    rowsWithFindings: result.rowsWithFindings,
    totalFindings: result.totalFindings,
    bySeverity: result.counts.bySeverity,
    byCode: ranked.map((c) => ({ ...c, meaning: FINDING_CODE_MEANINGS[c.code] })),
    byRule: top(result.counts.byRule).map(([rule, count]) => ({ rule, type: ruleType.get(rule) ?? null, count })),
    byColumn: top(result.counts.byColumn).map(([column, count]) => ({ column: redact(column).text, count })),
    examples,
  };
}
export type InsightFacts = ReturnType<typeof insightFacts>;

const NUMBER = /\d[\d,]*(?:\.\d+)?/g;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** The numbers written in a text, canonicalised (`1,000` → `1000`, `3.50` → `3.5`; `3,4` is 3 and 4). */
export function numbersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.match(NUMBER) ?? []) {
    const parts = GROUPED.test(m) ? [m.replace(/,/g, "")] : m.split(",").filter(Boolean);
    for (const p of parts) out.push(String(Number(p)));
  }
  return out;
}

/**
 * Is an LLM summary grounded on the facts it was given? Every number it states (digits; words
 * like "five" are not caught) must occur in the facts, and every cited code must be a code
 * with findings.
 */
export function checkGrounding(answer: { summary: string; citedCodes: string[] }, facts: InsightFacts): { ok: true } | { ok: false; reason: "ungrounded_number" | "unknown_code"; detail: string } {
  const allowed = new Set(numbersIn(JSON.stringify(facts)));
  const stray = numbersIn(answer.summary).find((n) => !allowed.has(n));
  if (stray !== undefined) return { ok: false, reason: "ungrounded_number", detail: `the summary states ${stray}, which is not in the facts given` };
  const codes = new Set(facts.byCode.map((c) => c.code as string));
  const unknown = answer.citedCodes.find((c) => !codes.has(c));
  if (unknown !== undefined) return { ok: false, reason: "unknown_code", detail: `the answer cites "${clip(unknown, 60)}", which is not a finding code of this check` };
  return { ok: true };
}

const Answer = z.object({
  summary: z.string().trim().min(1).max(MAX_SUMMARY_CHARS),
  citedCodes: z.array(z.string().max(60)).max(20),
});
const ANSWER_JSON_SCHEMA = {
  type: "object",
  properties: {
    summary: { type: "string", description: `At most ${MAX_SUMMARY_CHARS} characters` },
    citedCodes: { type: "array", items: { type: "string" } },
  },
  required: ["summary", "citedCodes"],
  additionalProperties: false,
};

const SYSTEM_PROMPT = [
  "You summarise the result of a compliance check of an uploaded spreadsheet for service desk staff.",
  "Use only the facts given as JSON. Write 2 to 4 plain sentences: how many rows have errors, which problems matter most and where to look first.",
  "Every number you write must be copied exactly from the facts (counts, percentages, row numbers); do not compute, round or invent numbers.",
  "Do not invent cell values, columns or causes. Cite the finding codes you mention in citedCodes.",
  'Answer with JSON only: {"summary": "<text>", "citedCodes": ["<code>", ...]}.',
].join("\n");

/** The configured LLM for insights (lib/llm/config.ts decides from the environment), or null when none is. */
export function insightsLlm(): InsightsLlm | null {
  const cfg = llmConfig();
  return cfg ? { client: createChatClient(cfg), cfg } : null;
}

/**
 * Insights for a check. With no LLM (`llm` null) or no findings: the deterministic text. With
 * an LLM: one call (timeout `cfg.timeoutMs`, retries as configured) with {@link insightFacts}
 * as the only data, a strict JSON answer `{summary, citedCodes}` checked by zod, then
 * {@link checkGrounding}. Any failure (timeout, HTTP error, invalid or off-schema JSON, an
 * ungrounded number, an unknown code) gives the deterministic text with `fallbackReason`
 * `<provider>:<reason>` and `fallbackDetail`. Billed tokens are counted in the LLM metrics.
 * Never throws.
 */
export async function llmInsights(result: ComplianceResult, llm: InsightsLlm | null): Promise<Insights> {
  const deterministic = (extra: Partial<Insights> = {}): Insights => ({ text: deterministicInsights(result), source: "deterministic", ...extra });
  if (!llm || result.totalFindings === 0) return deterministic();
  const { client, cfg } = llm;
  const facts = insightFacts(result);
  const cost = (u: { promptTokens: number; completionTokens: number }) => estimateCostUsd(client.model, u.promptTokens, u.completionTokens, cfg.price);
  const fallback = (reason: string, detail: string, usage: { promptTokens: number; completionTokens: number }): Insights => {
    countLlmUsage(client.provider, reason, { ...usage, costUsd: cost(usage) });
    logger.warn({ provider: client.provider, model: client.model, reason }, "compliance insights: LLM answer not used, deterministic summary instead");
    return deterministic({ fallbackReason: `${client.provider}:${reason}`, fallbackDetail: detail, ...usage });
  };
  try {
    const r = await completeJson(
      client,
      {
        system: SYSTEM_PROMPT,
        user: `Facts:\n${JSON.stringify(facts)}`,
        jsonSchema: { name: "compliance_insights", schema: ANSWER_JSON_SCHEMA },
        maxTokens: MAX_COMPLETION_TOKENS,
      },
      Answer,
      cfg.timeoutMs,
    );
    const usage = { promptTokens: r.promptTokens, completionTokens: r.completionTokens };
    const grounded = checkGrounding(r.data, facts);
    if (!grounded.ok) return fallback(grounded.reason, grounded.detail, usage);
    countLlmUsage(client.provider, "ok", { ...usage, costUsd: cost(usage) });
    return { text: r.data.summary, source: `llm:${r.model || client.model}`, ...usage };
  } catch (err) {
    const e = err instanceof LlmError ? err : new LlmError("connection", String(err));
    return fallback(e.reason, clip(e.message, 300), e.usage);
  }
}
