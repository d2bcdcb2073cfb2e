import { afterAll, describe, expect, it } from "vitest";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as triageStatsRoute from "@/app/api/triage/stats/route";
import { foldStatsDeltas } from "@/lib/tickets/stats";
import { startFakeLlm } from "../fakes/llm-server";
import { clearEnv, setEnv } from "./set-env";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
const ENV = ["LLM_BASE_URL", "LLM_MODEL", "TRIAGE_MODE", "LLM_PRICE_INPUT_PER_MTOK", "LLM_PRICE_OUTPUT_PER_MTOK"];
afterAll(() => {
  clearEnv(ENV);
});

describe("GET /api/triage/stats", () => {
  it("counts decisions, LLM share, tokens, cost per day, accuracy over reviewed tickets and the review queue", async () => {
    const agent = await makeActor(t.db, "agent@corp.test", "agent");
    const requester = await makeActor(t.db, "req@corp.test", "requester");
    const body = (i: number) => ({ title: `Laptop ${i} does not boot`, description: `Laptop number ${i} shows a black screen on boot`, email: "req@corp.test" });
    const keys: string[] = [];
    // 3 local decisions
    for (let i = 0; i < 3; i++) keys.push((await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: body(i) })).body.ticket.key);
    // 2 LLM decisions (fake server: 321 prompt + 12 completion tokens each, priced by env)
    const fake = await startFakeLlm(() => ({ kind: "json", content: JSON.stringify({ category: "hardware", confidence: 0.9 }) }));
    setEnv({
      LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "fake-model", TRIAGE_MODE: "llm", LLM_PRICE_INPUT_PER_MTOK: "1", LLM_PRICE_OUTPUT_PER_MTOK: "2",
    });
    for (let i = 3; i < 5; i++) keys.push((await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: body(i) })).body.ticket.key);
    await fake.close();
    clearEnv(ENV);

    // agent reviews: one correction, two accepted by resolving
    const patch = (key: string, b: unknown) => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: b });
    await patch(keys[0], { category: "purchase" });
    await patch(keys[1], { status: "resolved" });
    await patch(keys[3], { status: "closed" });

    const today = new Date().toISOString().slice(0, 10);
    const get = () => call(triageStatsRoute.GET, { path: `/api/triage/stats?from=${today}&to=${today}`, key: agent.key });
    const res = await get();
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.totals).toMatchObject({ decisions: 5, llm: 2, llmShare: 0.4, fallbacks: 0, promptTokens: 642, completionTokens: 24 });
    expect(s.totals.costUsd).toBeCloseTo((642 * 1 + 24 * 2) / 1e6, 9);
    expect(s.byProvider).toEqual({ local: 3, "openai-compatible": 2 });
    expect(s.perDay).toHaveLength(1);
    expect(s.accuracy.reviewed).toBe(3);
    expect(s.accuracy.overriddenByAgent).toBe(1);
    expect(s.accuracy.correct).toBe(s.accuracy.reviewed - 1);
    expect(s.accuracy.accuracy).toBeCloseTo(2 / 3, 9);
    expect(typeof s.reviewQueue).toBe("number");

    await foldStatsDeltas(t.db);
    expect((await get()).body).toEqual(s);
    expect((await call(triageStatsRoute.GET, { path: "/api/triage/stats", key: requester.key })).status).toBe(403);
    expect((await call(triageStatsRoute.GET, { path: "/api/triage/stats?window=5", key: agent.key })).status).toBe(400);
  });
});
