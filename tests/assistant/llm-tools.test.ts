import { describe, expect, it } from "vitest";
import { SEED_CATEGORIES, SEED_TEAMS } from "@/db/seed";
import { ASSISTANT_OP_NAMES } from "@/lib/assistant/ops";
import { interpretWithLlm, REFUSED_MESSAGE } from "@/lib/assistant/llm/interpret-llm";
import type { GrammarContext, Interpretation } from "@/lib/assistant/types";
import { createChatClient } from "@/lib/llm/client";
import { llmConfig } from "@/lib/llm/config";
import { LlmError } from "@/lib/llm/structured";
import { useFakeLlmEnv, type RecordedRequest, type Reply } from "../fakes/llm-server";

/*
 * LLM tool calling for assistant commands, against the loopback fake speaking the OpenAI wire
 * format, through both SDK paths: openai (OpenAI-compatible and OpenAI configs) and groq-sdk
 * (Groq config with LLM_BASE_URL pointing at the fake). No database.
 */

const llm = useFakeLlmEnv();
let fake: Awaited<ReturnType<typeof llm.start>> | null = null;

const ctx: GrammarContext = {
  now: new Date("2026-12-02T09:30:00Z"),
  timeZone: "Europe/Berlin",
  ticketKey: "T-40",
  categories: SEED_CATEGORIES.map((c) => ({ slug: c.slug, name: c.name })),
  teams: SEED_TEAMS.map((t) => ({ slug: t.slug, name: t.name })),
};

const call = (name: string, args: unknown): { name: string; arguments: string } => ({ name, arguments: typeof args === "string" ? args : JSON.stringify(args) });
const tools = (...calls: { name: string; arguments: string }[]): Reply => ({ kind: "tool_calls", calls, promptTokens: 900, completionTokens: 30 });

const PROVIDERS = [
  {
    provider: "openai-compatible",
    env: (url: string): Record<string, string> => ({ LLM_BASE_URL: `${url}/v1`, LLM_MODEL: "llama3.1:8b", LLM_PRICE_INPUT_PER_MTOK: "1", LLM_PRICE_OUTPUT_PER_MTOK: "2" }),
    path: "/v1/chat/completions",
    model: "llama3.1:8b",
    tokenField: "max_tokens" as "max_tokens" | "max_completion_tokens",
    cost: (p: number, c: number) => (p * 1 + c * 2) / 1e6,
  },
  {
    provider: "groq",
    env: (url: string): Record<string, string> => ({ GROQ_API_KEY: "gsk_fakekeyfakekeyfakekey0000", LLM_BASE_URL: url }),
    path: "/openai/v1/chat/completions",
    model: "llama-3.1-8b-instant",
    tokenField: "max_tokens" as const,
    cost: (p: number, c: number) => (p * 0.05 + c * 0.08) / 1e6,
  },
  {
    provider: "openai",
    env: (url: string): Record<string, string> => ({ OPENAI_API_KEY: "sk-test-fake", LLM_BASE_URL: `${url}/v1` }),
    path: "/v1/chat/completions",
    model: "gpt-4o-mini",
    tokenField: "max_completion_tokens" as const,
    cost: (p: number, c: number) => (p * 0.15 + c * 0.6) / 1e6,
  },
];

describe.each(PROVIDERS)("$provider: tool calling against the loopback fake", (p) => {
  async function run(reply: Reply | ((n: number, r: RecordedRequest) => Reply), text: string, extra: Record<string, string> = {}, history?: { role: "user" | "assistant"; content: string }[]) {
    fake = await llm.start(reply, (url) => ({ ...p.env(url), LLM_MAX_RETRIES: "0", ...extra }));
    const cfg = llmConfig()!;
    return interpretWithLlm(createChatClient(cfg), text, { ...ctx, history }, { timeoutMs: cfg.timeoutMs, price: cfg.price });
  }

  it("offers every operation plus clarify as JSON-Schema tools, with tool_choice auto, the model and a system prompt with the desk's data", async () => {
    await run(tools(call("help", {})), "what can you do?", {}, [
      { role: "user", content: "show T-3" },
      { role: "assistant", content: "T-3: Printer jam (open, P3)" },
    ]);
    expect(fake!.requests).toHaveLength(1);
    const req = fake!.requests[0];
    expect(req.path).toBe(p.path);
    expect(req.body.model).toBe(p.model);
    expect(req.body.temperature).toBe(0);
    expect(req.body.tool_choice).toBe("auto");
    expect(req.body[p.tokenField]).toBeGreaterThan(0);
    expect(req.body.response_format).toBeUndefined();
    const offered = req.body.tools!;
    expect(offered.map((t) => t.function.name).sort()).toEqual([...ASSISTANT_OP_NAMES, "clarify"].sort());
    for (const t of offered) {
      expect(t.type).toBe("function");
      expect(t.function.description!.length).toBeGreaterThan(20);
      expect(t.function.parameters).toMatchObject({ type: "object" });
      expect(t.function.parameters).not.toHaveProperty("$schema");
      expect(Object.keys((t.function.parameters as { properties: object }).properties)).not.toContain("op");
    }
    const params = (name: string) => offered.find((t) => t.function.name === name)!.function.parameters as { properties: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>; required: string[] };
    expect(Object.keys(params("update").properties)).toEqual(expect.arrayContaining(["key", "status", "priority", "category", "team", "note"]));
    expect(params("update").required).toEqual(["key"]);
    expect(params("update").properties.priority.enum).toEqual(["P1", "P2", "P3", "P4"]);
    expect(Object.keys(params("list").properties.filter.properties!)).toEqual(expect.arrayContaining(["status", "priority", "assignee", "createdFrom", "createdTo"]));
    expect(params("list").properties.filter.properties!.createdFrom).toEqual({ type: "string", format: "date-time", description: expect.stringContaining("ISO 8601") });
    expect(Object.keys(params("bulk").properties)).toEqual(["filter", "action"]);
    expect(params("stats").properties).toHaveProperty("metric");
    expect(Object.keys(params("clarify").properties)).toEqual(["message", "candidates"]);
    expect(params("help").properties).toEqual({});

    expect(req.body.messages!.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    const system = req.body.messages![0].content;
    for (const c of ctx.categories) expect(system).toContain(`${c.slug}: ${c.name}`);
    for (const t of ctx.teams) expect(system).toContain(`${t.slug}: ${t.name}`);
    expect(system).toContain("2026-12-02");
    expect(system).toContain("Wednesday");
    expect(system).toContain("Europe/Berlin");
    expect(system).toContain("T-40");
    expect(req.body.messages![3].content).toBe("what can you do?");
  });

  it("turns a valid tool call into the operation, with provider, model, tokens, cost and latency", async () => {
    const r = await run(tools(call("update", { key: "T-12", priority: "P1", note: "customer escalated" })), "raise T-12 to P1, customer escalated");
    expect(r.result).toEqual({ kind: "op", op: { op: "update", key: "T-12", priority: "P1", note: "customer escalated" } });
    expect(r.fallbackReason).toBeUndefined();
    expect(r.provenance).toMatchObject({ provider: p.provider, model: p.model, promptTokens: 900, completionTokens: 30 });
    expect(r.provenance.costUsd).toBeCloseTo(p.cost(900, 30), 12);
    expect(r.provenance.costUsd).toBeGreaterThan(0);
    expect(r.provenance.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("uses the ticket on screen for 'take it'", async () => {
    const r = await run(tools(call("assign", { key: "T-40", assignee: "me" })), "take it");
    expect(r.result).toEqual({ kind: "op", op: { op: "assign", key: "T-40", assignee: "me" } });
  });

  it("passes a clarify call through with its candidates", async () => {
    const candidates = [
      { label: "Maria Keller", command: "assign T-12 to maria.keller@corp.test" },
      { label: "Maria Lopez", command: "assign T-12 to maria.lopez@corp.test" },
    ];
    const r = await run(tools(call("clarify", { message: "Which Maria?", candidates })), "assign T-12 to maria");
    expect(r.result).toEqual({ kind: "clarify", message: "Which Maria?", candidates });
  });

  it("sends e-mail addresses as numbered placeholders and puts them back into the arguments", async () => {
    const r = await run(
      tools(call("create", { title: "Printer jam on floor 3", requester: "[EMAIL_1]", priority: "P3" })),
      "create ticket printer jam on floor 3 for Jo.Smith@example.com",
    );
    const sent = JSON.stringify(fake!.requests[0].body.messages);
    expect(sent).not.toContain("example.com");
    expect(sent).toContain("[EMAIL_1]");
    expect(r.result).toEqual({ kind: "op", op: { op: "create", title: "Printer jam on floor 3", requester: "jo.smith@example.com", priority: "P3" } });
  });

  const malformed: [string, Reply][] = [
    ["an unknown tool", tools(call("delete_ticket", { key: "T-12" }))],
    ["arguments that are not JSON", tools(call("update", '{"key": "T-12", "priority": "P1"'))],
    ["arguments that are a JSON array", tools(call("update", "[1,2]"))],
    ["a priority the schema does not know (P9)", tools(call("update", { key: "T-12", priority: "P9" }))],
    ["a key that is not a ticket key ('12')", tools(call("update", { key: "12", priority: "P1" }))],
    ["a property the operation does not have", tools(call("update", { key: "T-12", priority: "P1", assignee: "me" }))],
    ["a date that is not ISO 8601", tools(call("list", { filter: { createdFrom: "last monday" } }))],
    ["an update that changes nothing", tools(call("update", { key: "T-12" }))],
    ["arguments naming another op", tools(call("update", { op: "bulk", key: "T-12", priority: "P1" }))],
    ["two write calls", tools(call("update", { key: "T-12", priority: "P1" }), call("assign", { key: "T-12", assignee: "me" }))],
    ["no tool call, plain text", { kind: "json", content: "Sure! I have raised T-12 to P1." }],
    ["no tool call and no text", { kind: "tool_calls", calls: [] }],
    ["a clarify call without a message", tools(call("clarify", { candidates: [] }))],
  ];
  it.each(malformed)("refuses %s: kind unknown, never an op, tokens kept", async (_why, reply) => {
    const r: Interpretation = await run(reply, "raise T-12 to P1");
    expect(r.result).toEqual({ kind: "unknown", message: REFUSED_MESSAGE });
    expect(r.result).not.toHaveProperty("op");
    expect(r.fallbackReason).toMatch(new RegExp(`^${p.provider}:refused: `));
    expect(r.provenance.provider).toBe(p.provider);
    expect(r.provenance.promptTokens).toBeGreaterThan(0);
  });

  it("asks which ticket when the model names a key the user never mentioned", async () => {
    const r = await run(tools(call("resolve", { key: "T-99", status: "closed" })), "close the printer ticket");
    expect(r.result).toMatchObject({ kind: "clarify" });
    expect(r.result).not.toHaveProperty("op");
  });

  it("uses the first call when only one of several calls writes", async () => {
    const r = await run(tools(call("show", { key: "T-12" }), call("assign", { key: "T-12", assignee: "me" })), "show T-12");
    expect(r.result).toEqual({ kind: "op", op: { op: "show", key: "T-12" } });
  });

  it("throws LlmError server_error on HTTP 500 and timeout when the server hangs", async () => {
    await expect(run({ kind: "status", status: 500 }, "show T-1")).rejects.toMatchObject({ name: "LlmError", reason: "server_error", status: 500 });
    const err = await run({ kind: "hang" }, "show T-1", { LLM_TIMEOUT_MS: "300" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).reason).toBe("timeout");
  });
});
