import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { triageTicket } from "@/lib/triage/pipeline";
import { type Reply, useFakeLlmEnv } from "../fakes/llm-server";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/** Issue #13 §3: the LLM may propose the priority; the ITIL rules stay the fallback and the decision records which decided. */
const t = useTestDb();
const llm = useFakeLlmEnv();

// The rules read this as one person, no time pressure: P4.
const ticket = { title: "Monitor request", description: "Could I get a second monitor for my desk? Whenever you get a chance." };
const reply = (fields: Record<string, unknown>): Reply => ({ kind: "json", content: JSON.stringify({ category: "hardware", confidence: 0.9, ...fields }) });

const useFake = (r: Reply, extra: Record<string, string> = {}) =>
  llm.start(r, (url) => ({ LLM_BASE_URL: `${url}/v1`, LLM_MODEL: "m", TRIAGE_MODE: "llm", LLM_MAX_RETRIES: "0", ...extra }));

describe("LLM priority with the category", () => {
  it("asks for priority, impact and urgency in the strict json_schema", async () => {
    const f = await useFake(reply({ priority: "P4", impact: "low", urgency: "low" }), { OPENAI_API_KEY: "sk-test-fake", LLM_RESPONSE_FORMAT: "json_schema" });
    await triageTicket(t.db, ticket);
    const rf = f.requests[0].body.response_format!;
    expect(rf.json_schema).toMatchObject({
      name: "ticket_category",
      strict: true,
      schema: {
        required: ["category", "confidence", "priority", "impact", "urgency"],
        additionalProperties: false,
        properties: { priority: { enum: ["P1", "P2", "P3", "P4"] }, impact: { enum: ["high", "medium", "low"] }, urgency: { enum: ["high", "medium", "low"] } },
      },
    });
    expect(f.requests[0].body.messages![0].content).toContain("ITIL impact");
  });

  it("uses a valid proposed priority and says the LLM decided, on the decision row and in the classify answer", async () => {
    await useFake(reply({ priority: "P2", impact: "medium", urgency: "high" }));
    const r = await triageTicket(t.db, ticket);
    expect(r).toMatchObject({ provider: "openai-compatible", priority: "P2", prioritySource: "llm", impact: "medium", urgency: "high" });
    expect(r).not.toHaveProperty("proposedPriority");

    const agent = await makeActor(t.db, "agent-llm-priority@corp.test", "agent");
    const classified = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: ticket });
    expect(classified.status).toBe(200);
    expect(classified.body).toMatchObject({ priority: "P2", prioritySource: "llm" });

    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...ticket, email: "req-llm-priority@corp.test" } });
    expect(res.status).toBe(201);
    const [d] = await rows<{ predicted_priority: string; priority_source: string }>(
      t.db,
      sql`select predicted_priority, priority_source from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${res.body.ticket.key}`,
    );
    expect(d).toEqual({ predicted_priority: "P2", priority_source: "llm" });
  });

  it("keeps the LLM priority and fills impact/urgency it left out from the rules", async () => {
    await useFake(reply({ priority: "P3", impact: "everyone" }));
    const r = await triageTicket(t.db, ticket);
    expect(r).toMatchObject({ priority: "P3", prioritySource: "llm", impact: "low", urgency: "low" });
  });

  it.each([
    ["an invalid priority", { priority: "urgent", impact: "high", urgency: "high" }],
    ["no priority", {}],
  ])("falls back to the rules on %s, without an error", async (_label, fields) => {
    await useFake(reply(fields));
    const r = await triageTicket(t.db, ticket);
    expect(r).toMatchObject({ category: "hardware", provider: "openai-compatible", fallbackReason: null, priority: "P4", prioritySource: "rules", impact: "low", urgency: "low" });
  });

  it("uses the rules when the LLM call failed, and records them on the decision", async () => {
    await useFake({ kind: "status", status: 503 });
    const agent = await makeActor(t.db, "agent-llm-priority-down@corp.test", "agent");
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...ticket, email: "req-llm-priority-down@corp.test" } });
    expect(res.status).toBe(201);
    expect(res.body.triage).toMatchObject({ provider: "local", prioritySource: "rules", priority: "P4" });
    const [d] = await rows<{ priority_source: string }>(t.db, sql`select priority_source from triage_decisions d join tickets t on t.id = d.ticket_id where t.key = ${res.body.ticket.key}`);
    expect(d.priority_source).toBe("rules");
  });
});
