import { beforeAll, describe, expect, it } from "vitest";
import { POST as assistant } from "@/app/api/assistant/route";
import { GET as conversationRoute } from "@/app/api/assistant/conversations/[id]/route";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useFakeLlmEnv } from "../fakes/llm-server";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * POST /api/assistant with an LLM configured (the loopback fake): the tool call runs, the
 * continued conversation's earlier messages go to the LLM, and the answer is stored with the
 * LLM's provenance (provider, model, tokens, cost).
 */

const t = useTestDb();
const llm = useFakeLlmEnv();
const compatible = (url: string) => ({ LLM_BASE_URL: `${url}/v1`, LLM_MODEL: "llama3.1:8b", LLM_MAX_RETRIES: "0", LLM_PRICE_INPUT_PER_MTOK: "3", LLM_PRICE_OUTPUT_PER_MTOK: "4" });
let agent: Actor;
let key = "";

beforeAll(async () => {
  ({ agent } = await makeDeskActors(t.db));
  key = (await createTicket(t.db, { title: "Mail server down", description: "Nobody can send mail since 9:00", email: "bob@corp.test" }, { principal: null, defaultSource: "api" })).ticket.key;
});

describe("POST /api/assistant with an LLM", () => {
  it("runs the LLM's tool call, sends the conversation's history, stores the provenance", async () => {
    const f = await llm.start({ kind: "tool_calls", calls: [{ name: "show", arguments: JSON.stringify({ key }) }], promptTokens: 900, completionTokens: 30 }, compatible);
    const first = await call(assistant, { path: "/api/assistant", key: agent.key, body: { text: `what is going on with the mail outage in ${key}?` } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ op: "show", ok: true, data: { kind: "ticket", ticket: { key } } });
    expect(f.requests).toHaveLength(1);

    const second = await call(assistant, { path: "/api/assistant", key: agent.key, body: { text: "and who reported it?", conversationId: first.body.conversationId } });
    expect(second.status).toBe(200);
    expect(f.requests).toHaveLength(2);
    const sent = f.requests[1].body.messages!.filter((m) => m.role !== "system");
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(sent[0].content).toContain("mail outage");
    expect(sent[1].content).toBe(first.body.message);

    const stored = await call(conversationRoute, { path: "/", key: agent.key, params: { id: first.body.conversationId } });
    const answers = stored.body.messages.filter((m: { role: string }) => m.role === "assistant");
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatchObject({ op: "show", ok: true, provider: "openai-compatible", model: "llama3.1:8b", promptTokens: 900, completionTokens: 30 });
    expect(answers[0].costUsd).toBeCloseTo((900 * 3 + 30 * 4) / 1e6, 6);
    expect(stored.body.ticketKey).toBe(key);
  });

  it("a refused (malformed) tool call is a 200 help answer stored with the call's tokens", async () => {
    await llm.start({ kind: "tool_calls", calls: [{ name: "show", arguments: '{"key":"12"}' }], promptTokens: 650, completionTokens: 15 }, compatible);
    const r = await call(assistant, { path: "/api/assistant", key: agent.key, body: { text: "show me the twelfth" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ op: "help", ok: false, data: { kind: "help" } });
    const stored = await call(conversationRoute, { path: "/", key: agent.key, params: { id: r.body.conversationId } });
    expect(stored.body.messages[1]).toMatchObject({ op: "help", ok: false, provider: "openai-compatible", promptTokens: 650, completionTokens: 15 });
    expect(stored.body.messages[1].fallbackReason).toMatch(/^openai-compatible:refused/);
  });

  it("LLM down: the grammar answers and the stored answer says why", async () => {
    await llm.start({ kind: "status", status: 500 }, compatible);
    const r = await call(assistant, { path: "/api/assistant", key: agent.key, body: { text: `show ${key}` } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ op: "show", ok: true, data: { kind: "ticket", ticket: { key } } });
    const stored = await call(conversationRoute, { path: "/", key: agent.key, params: { id: r.body.conversationId } });
    expect(stored.body.messages[1]).toMatchObject({ provider: "grammar", fallbackReason: "openai-compatible:server_error" });
  });
});
