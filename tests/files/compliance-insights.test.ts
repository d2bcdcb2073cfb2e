import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ParsedSheet } from "@/lib/files/types";
import { evaluateRuleSet, type ComplianceResult } from "@/lib/files/compliance/evaluator";
import { checkGrounding, deterministicInsights, insightFacts, insightsLlm, llmInsights, numbersIn } from "@/lib/files/compliance/insights";
import { PHARMA_SHIPMENT_RULE_SET, RuleSetSchema } from "@/lib/files/compliance/schema";
import { counterValue, metrics } from "@/lib/observability/metrics";
import { startFakeLlm, type RecordedRequest, type Reply } from "../fakes/llm-server";
import { clearEnv, setEnv } from "../triage/set-env";

const LLM_ENV = [
  "LLM_PROVIDER", "OPENAI_API_KEY", "GROQ_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT",
  "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL", "LLM_TIMEOUT_MS", "LLM_MAX_RETRIES", "LLM_RESPONSE_FORMAT",
];

/**
 * 40 shipment lines: rows 2..41. Every 4th batch is unregistered (10), every 5th expiry is before
 * manufacture (8), two lines carry an e-mail address as batch (pattern + reference), and
 * some cells hold values that must never reach the LLM unless they are in an example.
 */
function shipmentSheet(): ParsedSheet {
  const rows: ParsedSheet["rows"] = [];
  for (let i = 0; i < 40; i++) {
    const batch = i === 0 || i === 39 ? `ops.lead${i}@pharma.example` : `LOT-${String(700 + i)}`;
    const expiry = i % 5 === 0 ? "2024-11-30" : "2027-05-31";
    rows.push({ row: i + 2, values: [batch, "2025-01-15", expiry, String(10 + i), i === 20 ? "CONFIDENTIAL-NOTE-XYZ" : "ok"] });
  }
  return { name: "Shipments", headerRow: 1, headers: ["Batch", "Manufacture date", "Expiry date", "Quantity", "Remark"], rows };
}

function checked(): ComplianceResult {
  const set = RuleSetSchema.parse(PHARMA_SHIPMENT_RULE_SET);
  const registered = new Set<string>();
  for (let i = 0; i < 40; i++) if (i % 4 !== 0) registered.add(`LOT-${700 + i}`);
  return evaluateRuleSet(set, shipmentSheet(), new Map([["batch-register::batchnumber", registered]]), { today: "2025-06-15" });
}

let fake: Awaited<ReturnType<typeof startFakeLlm>> | null = null;
async function useFake(script: (n: number, r: RecordedRequest) => Reply, extra: Record<string, string> = {}) {
  fake = await startFakeLlm(script);
  setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "llama3.1:8b", LLM_MAX_RETRIES: "0", ...extra });
  const llm = insightsLlm();
  expect(llm).not.toBeNull();
  return { fake, llm: llm! };
}
const answer = (summary: string, citedCodes: string[]): Reply => ({ kind: "json", content: JSON.stringify({ summary, citedCodes }) });

beforeEach(() => clearEnv(LLM_ENV));
afterEach(async () => {
  await fake?.close();
  fake = null;
  clearEnv(LLM_ENV);
});

describe("deterministic insights", () => {
  it("summarises rows, severities and the top codes, most serious first, with an example each", () => {
    const r = checked();
    const text = deterministicInsights(r);
    expect(text).toBe(deterministicInsights(checked())); // deterministic
    const lines = text.split("\n");
    expect(lines[0]).toBe(`Rule set "Pharma shipment register" on sheet "Shipments": 40 rows checked, ${r.rowsWithErrors} with errors (${Math.round((r.rowsWithErrors / 40) * 1000) / 10}%).`);
    expect(lines[1]).toBe(`${r.totalFindings} findings: ${r.counts.bySeverity.error} errors, ${r.counts.bySeverity.warning} warnings, 0 info.`);
    // batches 0, 4, 8, … 36 unregistered (LOT-7xx) or e-mails (rows 2 and 41): 11; expiry before manufacture every 5th row: 8 (and expired: warning)
    expect(r.counts.byCode).toEqual({ missing_reference: 11, cross_field_violation: 8, pattern_mismatch: 2, out_of_range: 8 });
    const top = lines.slice(3).map((l) => l.replace(/ \(.*/, ""));
    expect(top).toEqual(["1. missing_reference", "2. cross_field_violation", "3. pattern_mismatch", "4. out_of_range"]);
    expect(lines[3]).toContain("e.g. row 2, Batch:");
    expect(lines[6]).toMatch(/^4\. out_of_range \(warning\): 8 /);
  });

  it("says so when nothing was found", () => {
    const set = RuleSetSchema.parse({ name: "Only one", rules: [{ type: "not_empty", columns: ["A"] }] });
    const r = evaluateRuleSet(set, { name: "S", headerRow: 1, headers: ["A"], rows: [{ row: 2, values: ["x"] }] }, new Map());
    expect(deterministicInsights(r)).toBe('Rule set "Only one" on sheet "S": 1 rows checked, 0 with errors (0%).\nNo findings: every rule passed.');
  });
});

describe("grounding check", () => {
  const facts = insightFacts(checked());
  it("reads numbers as written", () => {
    expect(numbersIn("1,000 rows, 3.50%, rows 3,4 and 12.")).toEqual(["1000", "3.5", "3", "4", "12"]);
  });
  it("accepts numbers and codes from the facts, refuses others", () => {
    expect(checkGrounding({ summary: `${facts.rowsWithErrors} of ${facts.rows} rows have errors.`, citedCodes: ["missing_reference"] }, facts)).toEqual({ ok: true });
    expect(checkGrounding({ summary: "1234 rows have errors.", citedCodes: [] }, facts)).toMatchObject({ ok: false, reason: "ungrounded_number" });
    expect(checkGrounding({ summary: "Some rows have errors.", citedCodes: ["bad_gtin"] }, facts)).toMatchObject({ ok: false, reason: "unknown_code" });
  });
});

describe("LLM insights (fake OpenAI-compatible server on loopback)", () => {
  it("without an LLM configured: deterministic, no fallback reason", async () => {
    expect(insightsLlm()).toBeNull();
    const r = checked();
    expect(await llmInsights(r, null)).toEqual({ text: deterministicInsights(r), source: "deterministic" });
  });

  it("sends only aggregated counts and redacted examples in JSON mode, and uses a grounded answer", async () => {
    const r = checked();
    const pctText = String(Math.round((r.rowsWithErrors / 40) * 1000) / 10);
    const c = r.counts.byCode;
    const summary = `${r.rowsWithErrors} of 40 rows (${pctText}%) have errors. The biggest problem is missing_reference (${c.missing_reference} findings): batches not in the batch register, first at row 2. Also check cross_field_violation (${c.cross_field_violation}).`;
    const { fake, llm } = await useFake(() => answer(summary, ["missing_reference", "cross_field_violation"]));
    const before = await counterValue(metrics().llmTokens, { provider: "openai-compatible", kind: "prompt", outcome: "ok" });
    const out = await llmInsights(r, llm);
    expect(out).toEqual({ text: summary, source: "llm:llama3.1:8b", promptTokens: 321, completionTokens: 12 });
    expect((await counterValue(metrics().llmTokens, { provider: "openai-compatible", kind: "prompt", outcome: "ok" })) - before).toBe(321);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0];
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.body.model).toBe("llama3.1:8b");
    expect(req.body.temperature).toBe(0);
    expect(req.body.response_format).toEqual({ type: "json_object" });
    expect(req.body.messages?.map((m) => m.role)).toEqual(["system", "user"]);
    expect(req.body.messages![0].content).toContain("citedCodes");
    const user = req.body.messages![1].content;
    const sent = JSON.parse(user.replace(/^Facts:\n/, ""));
    expect(sent).toMatchObject({ rows: 40, rowsWithErrors: r.rowsWithErrors, totalFindings: r.totalFindings });
    expect(sent.byCode.map((c: { code: string }) => c.code)).toEqual(["missing_reference", "cross_field_violation", "pattern_mismatch", "out_of_range"]);
    expect(sent.examples.length).toBeLessThanOrEqual(10);
    // No cell values beyond the example findings: a remark and batches not in any example stay home.
    expect(user).not.toContain("CONFIDENTIAL-NOTE-XYZ");
    const exampleBatches = new Set<string>(sent.examples.flatMap((e: { message: string }) => e.message.match(/LOT-\d+/g) ?? []));
    for (let i = 1; i < 39; i++) if (!exampleBatches.has(`LOT-${700 + i}`)) expect(user).not.toContain(`LOT-${700 + i}`);
    expect(exampleBatches.size).toBeLessThan(10);
    // An e-mail address as batch is in an example (missing_reference, row 2) but redacted; dates in examples are kept.
    expect(user).not.toMatch(/ops\.lead\d+@pharma\.example/);
    expect(user).toContain("[EMAIL]");
    expect(user).toContain("2024-11-30");
    expect(user).not.toContain("[PHONE]");
  });

  it("json_schema mode sends the strict answer schema", async () => {
    const r = checked();
    const { fake, llm } = await useFake(() => answer(`${r.rowsWithErrors} rows have errors.`, []), { LLM_RESPONSE_FORMAT: "json_schema" });
    expect((await llmInsights(r, llm)).source).toBe("llm:llama3.1:8b");
    expect(fake.requests[0].body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "compliance_insights", strict: true, schema: { required: ["summary", "citedCodes"], additionalProperties: false } },
    });
  });

  it("an answer with an invented number falls back to the deterministic text and says why", async () => {
    const r = checked();
    const { llm } = await useFake(() => answer("Roughly 9999 rows are affected by missing_reference.", ["missing_reference"]));
    const out = await llmInsights(r, llm);
    expect(out).toMatchObject({
      text: deterministicInsights(r),
      source: "deterministic",
      fallbackReason: "openai-compatible:ungrounded_number",
      fallbackDetail: expect.stringContaining("9999"),
      promptTokens: 321,
    });
  });

  it("an answer citing a code that has no findings falls back", async () => {
    const { llm } = await useFake(() => answer("Many rows have errors.", ["duplicate_value"]));
    expect(await llmInsights(checked(), llm)).toMatchObject({ source: "deterministic", fallbackReason: "openai-compatible:unknown_code" });
  });

  it("malformed JSON falls back", async () => {
    const { llm } = await useFake(() => ({ kind: "json", content: "Summary: lots of errors" }));
    expect(await llmInsights(checked(), llm)).toMatchObject({ source: "deterministic", fallbackReason: "openai-compatible:invalid_json" });
  });

  it("an off-schema answer falls back", async () => {
    const { llm } = await useFake(() => ({ kind: "json", content: JSON.stringify({ text: "x" }) }));
    expect(await llmInsights(checked(), llm)).toMatchObject({ source: "deterministic", fallbackReason: "openai-compatible:schema_mismatch" });
  });

  it("a timeout falls back", async () => {
    const { llm } = await useFake(() => ({ kind: "hang" }), { LLM_TIMEOUT_MS: "300" });
    const t0 = Date.now();
    const out = await llmInsights(checked(), llm);
    expect(out).toMatchObject({ source: "deterministic", fallbackReason: "openai-compatible:timeout" });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("a 500 falls back", async () => {
    const { llm } = await useFake(() => ({ kind: "status", status: 500 }));
    expect(await llmInsights(checked(), llm)).toMatchObject({ source: "deterministic", fallbackReason: "openai-compatible:server_error" });
  });

  it("no findings: no LLM call", async () => {
    const { fake, llm } = await useFake(() => answer("x", []));
    const set = RuleSetSchema.parse({ name: "Only one", rules: [{ type: "not_empty", columns: ["A"] }] });
    const r = evaluateRuleSet(set, { name: "S", headerRow: 1, headers: ["A"], rows: [{ row: 2, values: ["x"] }] }, new Map());
    expect((await llmInsights(r, llm)).source).toBe("deterministic");
    expect(fake.requests).toHaveLength(0);
  });
});
