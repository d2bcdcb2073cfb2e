import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import * as triageStatsRoute from "@/app/api/triage/stats/route";
import { hybridThreshold, triageTicket } from "@/lib/triage/pipeline";
import { startFakeLlm, type RecordedRequest, type Reply } from "../fakes/llm-server";
import { clearEnv, setEnv } from "./set-env";
import { counterValue, metrics } from "@/lib/observability/metrics";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
const LLM_ENV = [
  "LLM_PROVIDER", "OPENAI_API_KEY", "GROQ_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT",
  "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL", "LLM_TIMEOUT_MS", "LLM_MAX_RETRIES", "TRIAGE_MODE", "TRIAGE_HYBRID_THRESHOLD", "LLM_RESPONSE_FORMAT",
  "LLM_PRICE_INPUT_PER_MTOK", "LLM_PRICE_OUTPUT_PER_MTOK",
];
let fake: Awaited<ReturnType<typeof startFakeLlm>> | null = null;

beforeEach(() => {
  clearEnv(LLM_ENV);
});
afterEach(async () => {
  await fake?.close();
  fake = null;
  clearEnv(LLM_ENV);
});

const ticket = {
  title: "Cannot log in to the VPN",
  description: "Since this morning the VPN rejects my password and I cannot reach the finance share.",
};
const answer = (category: string, confidence = 0.93): Reply => ({ kind: "json", content: JSON.stringify({ category, confidence }) });

async function useOpenAiCompatible(script: (n: number, r: RecordedRequest) => Reply, extra: Record<string, string> = {}) {
  fake = await startFakeLlm(script);
  setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "llama3.1:8b", TRIAGE_MODE: "llm", LLM_MAX_RETRIES: "2", ...extra });
  return fake;
}

describe("OpenAI-compatible provider (fake server on loopback)", () => {
  it("sends model, system+user messages and JSON mode, and uses a valid answer", async () => {
    const f = await useOpenAiCompatible(() => answer("access"));
    const r = await triageTicket(t.db, ticket);
    expect(r).toMatchObject({ category: "access", mode: "llm", provider: "openai-compatible", model: "llama3.1:8b", fallbackReason: null });
    expect(r.promptTokens).toBe(321);
    expect(r.completionTokens).toBe(12);
    expect(f.requests).toHaveLength(1);
    const req = f.requests[0];
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.body.model).toBe("llama3.1:8b");
    expect(req.body.temperature).toBe(0);
    expect(req.body.response_format).toEqual({ type: "json_object" });
    expect(req.body.max_tokens).toBeGreaterThan(0);
    expect(req.body.messages?.map((m) => m.role)).toEqual(["system", "user"]);
    const system = req.body.messages![0].content;
    for (const slug of ["hardware", "access", "hr-support", "administrative-rights"]) expect(system).toContain(slug);
    expect(system).toContain("JSON Schema");
    expect(req.body.messages![1].content).toContain("VPN rejects my password");
  });

  it("falls back to the local model on malformed JSON", async () => {
    await useOpenAiCompatible(() => ({ kind: "json", content: "category: access (I think)" }));
    const r = await triageTicket(t.db, ticket);
    expect(r.provider).toBe("local");
    expect(r.fallbackReason).toBe("openai-compatible:invalid_json");
  });

  it("falls back when the answer names a category that does not exist, keeping the call's tokens and cost", async () => {
    await useOpenAiCompatible(() => ({ ...answer("networking"), promptTokens: 410, completionTokens: 9 }), {
      LLM_PRICE_INPUT_PER_MTOK: "1", LLM_PRICE_OUTPUT_PER_MTOK: "2",
    });
    const r = await triageTicket(t.db, ticket);
    expect(r.fallbackReason).toBe("openai-compatible:schema_mismatch");
    expect(r).toMatchObject({ provider: "local", promptTokens: 410, completionTokens: 9 });
    expect(r.costUsd).toBeCloseTo((410 * 1 + 9 * 2) / 1e6, 12);
  });

  it("records the tokens and cost of an answer that fails the JSON check on the decision row and in the triage rollup", async () => {
    const agent = await makeActor(t.db, "agent-invalid-json@corp.test", "agent");
    const today = new Date().toISOString().slice(0, 10);
    const stats = async () => (await call(triageStatsRoute.GET, { path: `/api/triage/stats?from=${today}&to=${today}`, key: agent.key })).body.totals;
    const before = await stats();
    const metricBefore = await counterValue(metrics().llmTokens, { provider: "openai-compatible", kind: "prompt", outcome: "invalid_json" });
    await useOpenAiCompatible(() => ({ kind: "json", content: "category: access (I think)", promptTokens: 500, completionTokens: 7 }), {
      LLM_PRICE_INPUT_PER_MTOK: "1", LLM_PRICE_OUTPUT_PER_MTOK: "2",
    });
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...ticket, email: "req-invalid-json@corp.test" } });
    expect(res.status).toBe(201);
    expect(res.body.triage).toMatchObject({ provider: "local", fallbackReason: "openai-compatible:invalid_json", promptTokens: 500, completionTokens: 7 });
    const [d] = await rows<{ provider: string; prompt_tokens: number; completion_tokens: number; cost_usd: string; fallback_reason: string }>(
      t.db,
      sql`select provider, prompt_tokens, completion_tokens, cost_usd::text, fallback_reason from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${res.body.ticket.key}`,
    );
    expect(d).toMatchObject({ provider: "local", prompt_tokens: 500, completion_tokens: 7, fallback_reason: "openai-compatible:invalid_json" });
    expect(Number(d.cost_usd)).toBeCloseTo((500 * 1 + 7 * 2) / 1e6, 6);
    // the rollup (triage_daily + pending deltas, kept by the triage_decisions trigger) counts them too
    const after = await stats();
    expect(after.decisions - before.decisions).toBe(1);
    expect(after.fallbacks - before.fallbacks).toBe(1);
    expect(after.promptTokens - before.promptTokens).toBe(500);
    expect(after.completionTokens - before.completionTokens).toBe(7);
    expect(after.costUsd - before.costUsd).toBeCloseTo((500 * 1 + 7 * 2) / 1e6, 6);
    // and the metrics count them, labelled with why the answer was not used
    const metricAfter = await counterValue(metrics().llmTokens, { provider: "openai-compatible", kind: "prompt", outcome: "invalid_json" });
    expect(metricAfter - metricBefore).toBe(500);
    expect(await counterValue(metrics().llmTokens, { provider: "openai-compatible", kind: "completion", outcome: "invalid_json" })).toBeGreaterThanOrEqual(7);
  });

  it("retries a 429 after the Retry-After delay, then succeeds", async () => {
    const f = await useOpenAiCompatible((n) =>
      n === 0 ? { kind: "status", status: 429, headers: { "retry-after": "1" } } : answer("access"),
    );
    const t0 = Date.now();
    const r = await triageTicket(t.db, ticket);
    expect(r.category).toBe("access");
    expect(r.fallbackReason).toBeNull();
    expect(f.requests).toHaveLength(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it("retries 5xx and gives up after LLM_MAX_RETRIES with a fallback", async () => {
    const f = await useOpenAiCompatible(() => ({ kind: "status", status: 503, headers: { "retry-after-ms": "10" } }), { LLM_MAX_RETRIES: "2" });
    const r = await triageTicket(t.db, ticket);
    expect(f.requests).toHaveLength(3);
    expect(r.fallbackReason).toBe("openai-compatible:server_error");
    expect(r.provider).toBe("local");
  });

  it("gives up at the timeout when the server hangs, and answers from the local model", async () => {
    await useOpenAiCompatible(() => ({ kind: "hang" }), { LLM_TIMEOUT_MS: "400" });
    const t0 = Date.now();
    const r = await triageTicket(t.db, ticket);
    const elapsed = Date.now() - t0;
    expect(r.fallbackReason).toBe("openai-compatible:timeout");
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe("Groq provider (fake server on loopback)", () => {
  it("calls the Groq chat endpoint with the key, model and JSON mode", async () => {
    fake = await startFakeLlm(() => answer("hardware", 0.88));
    setEnv({ GROQ_API_KEY: "gsk_fakekeyfakekeyfakekey0000", LLM_BASE_URL: fake.url, TRIAGE_MODE: "llm" });
    const r = await triageTicket(t.db, { title: "Laptop screen cracked", description: "I dropped my laptop and the screen is cracked" });
    expect(r).toMatchObject({ provider: "groq", model: "llama-3.1-8b-instant", category: "hardware" });
    expect(r.costUsd).toBeCloseTo((321 * 0.05 + 12 * 0.08) / 1e6, 12);
    const req = fake.requests[0];
    expect(req.path).toBe("/openai/v1/chat/completions");
    expect(req.headers.authorization).toBe("Bearer gsk_fakekeyfakekeyfakekey0000");
    expect(req.body.model).toBe("llama-3.1-8b-instant");
    expect(req.body.response_format).toEqual({ type: "json_object" });
  });
});

describe("OpenAI and Azure OpenAI (fake server on loopback)", () => {
  it("sends strict json_schema structured output to OpenAI", async () => {
    fake = await startFakeLlm(() => answer("access"));
    setEnv({ OPENAI_API_KEY: "sk-test-fake", LLM_BASE_URL: `${fake.url}/v1`, TRIAGE_MODE: "llm" });
    const r = await triageTicket(t.db, ticket);
    expect(r).toMatchObject({ provider: "openai", model: "gpt-4o-mini", category: "access" });
    const rf = fake.requests[0].body.response_format!;
    expect(rf.type).toBe("json_schema");
    expect(rf.json_schema?.strict).toBe(true);
    expect((rf.json_schema?.schema as { properties: { category: { enum: string[] } } }).properties.category.enum).toContain("access");
    expect(fake.requests[0].body.max_completion_tokens).toBeGreaterThan(0);
  });

  it("calls the Azure deployment URL with api-version and api-key", async () => {
    fake = await startFakeLlm(() => answer("access"));
    setEnv({
      AZURE_OPENAI_ENDPOINT: fake.url,
      AZURE_OPENAI_API_KEY: "azure-fake-key",
      AZURE_OPENAI_DEPLOYMENT: "triage-gpt4o-mini",
      TRIAGE_MODE: "llm",
    });
    const r = await triageTicket(t.db, ticket);
    expect(r).toMatchObject({ provider: "azure", category: "access" });
    const req = fake.requests[0];
    expect(req.path).toMatch(/^\/openai\/deployments\/triage-gpt4o-mini\/chat\/completions\?api-version=/);
    expect(req.headers["api-key"]).toBe("azure-fake-key");
  });
});

describe("hybrid mode", () => {
  it("asks the LLM only when the local confidence is under the threshold", async () => {
    fake = await startFakeLlm(() => answer("access", 0.9));
    // threshold 0: the local model is always confident enough
    setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "m", TRIAGE_MODE: "hybrid", TRIAGE_HYBRID_THRESHOLD: "0" });
    const sure = await triageTicket(t.db, ticket);
    expect(sure.mode).toBe("hybrid");
    expect(sure.provider).toBe("local");
    expect(fake.requests).toHaveLength(0);
    // threshold 1: never confident enough
    setEnv({ TRIAGE_HYBRID_THRESHOLD: "1" });
    expect(hybridThreshold()).toBe(1);
    const unsure = await triageTicket(t.db, ticket);
    expect(unsure.provider).toBe("openai-compatible");
    expect(fake.requests).toHaveLength(1);
  });

  it("defaults to hybrid when an LLM is configured and to local when not", async () => {
    const r = await triageTicket(t.db, ticket);
    expect(r.mode).toBe("local");
  });
});

describe("redaction at the HTTP level", () => {
  it("sends no e-mail, phone, card, IBAN or password to the LLM, and stores the decision's accounting", async () => {
    fake = await startFakeLlm(() => answer("access"));
    setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "llama3.1:8b", TRIAGE_MODE: "llm" });
    const agent = await makeActor(t.db, "agent-redact@corp.test", "agent");
    const secrets = ["jane.doe@corp.example", "+44 20 7946 0958", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "Tr0ub4dor&3", "sk-live-abcdefghijklmnopqrstuvwx"];
    const res = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: agent.key,
      body: {
        title: "Account locked after password change",
        description: `I am jane.doe@corp.example, phone +44 20 7946 0958. My password: Tr0ub4dor&3 no longer works. Refund card 4111 1111 1111 1111 to GB82 WEST 1234 5698 7654 32. Our key sk-live-abcdefghijklmnopqrstuvwx leaked too.`,
        email: "jane.doe@corp.example",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.triage).toMatchObject({ provider: "openai-compatible", mode: "llm", promptTokens: 321, completionTokens: 12 });
    const sent = JSON.stringify(fake.requests[0].body);
    for (const s of secrets) expect(sent).not.toContain(s);
    expect(sent).toContain("[EMAIL]");
    expect(sent).toContain("[SECRET]");
    const [d] = await rows<{ provider: string; model: string; prompt_tokens: number; completion_tokens: number; mode: string }>(
      t.db,
      sql`select provider, model, prompt_tokens, completion_tokens, mode::text from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${res.body.ticket.key}`,
    );
    expect(d).toEqual({ provider: "openai-compatible", model: "llama3.1:8b", prompt_tokens: 321, completion_tokens: 12, mode: "llm" });

    const classify = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { description: "mail me at bob@corp.example about my laptop" } });
    expect(classify.status).toBe(200);
    expect(JSON.stringify(fake.requests[1].body)).not.toContain("bob@corp.example");
  });
});

describe("few-shot examples", () => {
  it("sends the organisation's nearest agent-reviewed tickets as examples", async () => {
    const { resetOrgExamples } = await import("@/lib/triage/org-examples");
    const ticketRoute = await import("@/app/api/tickets/[key]/route");
    const agent = await makeActor(t.db, "agent-fewshot@corp.test", "agent");
    // a reviewed (corrected) ticket the LLM should see as an example
    const created = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: agent.key,
      body: { title: "Badge reader broken at entrance", description: "The badge reader at the main entrance does not open the door", email: "x@corp.test" },
    });
    const key = created.body.ticket.key;
    await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { category: "miscellaneous", status: "resolved" } });
    resetOrgExamples();
    fake = await startFakeLlm(() => answer("miscellaneous"));
    setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "m", TRIAGE_MODE: "llm" });
    await triageTicket(t.db, { title: "Door badge reader", description: "the badge reader at the side entrance does not open the door either" });
    const user = fake.requests[0].body.messages![1].content;
    expect(user).toContain("Labelled tickets from this organisation");
    expect(user).toContain("Category: miscellaneous");
    expect(user).toContain("badge reader");
  });
});
