import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { autoAssign } from "@/lib/routing/assign/auto-assign";
import { latestAutoAssignment } from "@/lib/routing/assign/latest";
import { rankCandidates } from "@/lib/routing/assign/rank";
import { startFakeLlm, type RecordedRequest, type Reply } from "../fakes/llm-server";
import { useTestDb } from "../helpers/db";
import { clearEnv, setEnv } from "../triage/set-env";
import { addPerson, fileTicket } from "./assign-helpers";

const t = useTestDb();
const LLM_ENV = [
  "LLM_PROVIDER", "OPENAI_API_KEY", "GROQ_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT",
  "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL", "LLM_TIMEOUT_MS", "LLM_MAX_RETRIES", "TRIAGE_MODE", "LLM_RESPONSE_FORMAT",
];
let fake: Awaited<ReturnType<typeof startFakeLlm>> | null = null;
beforeEach(() => clearEnv(LLM_ENV));
afterEach(async () => {
  await fake?.close();
  fake = null;
  clearEnv(LLM_ENV);
});

async function useFake(script: (n: number, r: RecordedRequest) => Reply, extra: Record<string, string> = {}) {
  fake = await startFakeLlm(script);
  setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "rerank-model", LLM_API_KEY: "sk-fake-rerank", LLM_MAX_RETRIES: "0", LLM_TIMEOUT_MS: "5000", ...extra });
  return fake;
}

const ticket = {
  title: "Laptop battery and dock",
  description: "My ThinkPad battery dies after an hour and the docking station does not charge it. Call me at +49 170 1234567 or jane.doe@corp.test",
  teamSlug: "end-user-computing",
};

beforeAll(async () => {
  // Local order: battery+dock expert first, then a battery-only colleague, then the printer person.
  await addPerson(t.db, { email: "dock@corp.test", team: "end-user-computing", skills: ["battery", "docking station", "Lenovo ThinkPad"], seniority: "senior" });
  await addPerson(t.db, { email: "battery@corp.test", team: "end-user-computing", skills: ["battery"], seniority: "junior" });
  await addPerson(t.db, { email: "printers@corp.test", team: "end-user-computing", skills: ["printers"] });
});

describe("LLM rerank of the top 5", () => {
  it("sends the redacted ticket and the candidates as strict JSON, and applies the answer's order", async () => {
    const local = await rankCandidates(t.db, ticket, { rerank: false });
    expect(local.candidates.map((c) => c.email)).toEqual(["dock@corp.test", "battery@corp.test", "printers@corp.test"]);

    const f = await useFake(() => ({ kind: "json", content: JSON.stringify({ order: ["c2", "c1", "c3"], reason: "The junior can take the battery swap." }) }));
    const r = await rankCandidates(t.db, ticket);
    expect(r.candidates.map((c) => c.email)).toEqual(["battery@corp.test", "dock@corp.test", "printers@corp.test"]);
    expect(r.rerank).toMatchObject({ status: "used", provider: "openai-compatible", model: "rerank-model", reason: "The junior can take the battery swap.", promptTokens: 321 });

    expect(f.requests).toHaveLength(1);
    const req = f.requests[0];
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe("Bearer sk-fake-rerank");
    expect(req.body.model).toBe("rerank-model");
    expect(req.body.temperature).toBe(0);
    expect(req.body.response_format).toEqual({ type: "json_object" });
    expect(req.body.messages?.map((m) => m.role)).toEqual(["system", "user"]);
    expect(req.body.messages![0].content).toContain('"order"'); // json_object mode: the schema is in the prompt
    const sent = JSON.parse(req.body.messages![1].content) as { ticket: { title: string; description: string }; candidates: { id: string; skills: string[]; seniority: string }[] };
    expect(sent.candidates.map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
    expect(sent.candidates[0]).toMatchObject({ skills: ["battery", "docking station", "Lenovo ThinkPad"], seniority: "senior" });
    expect(sent.ticket.description).not.toContain("jane.doe@corp.test");
    expect(sent.ticket.description).not.toContain("1234567");
    expect(sent.ticket.description).toContain("[EMAIL]");
    // Nobody's e-mail or name leaves either: candidates are ids.
    expect(req.body.messages![1].content).not.toContain("@corp.test");
  });

  it("with json_schema the request carries the strict schema with the candidate ids", async () => {
    const f = await useFake(() => ({ kind: "json", content: JSON.stringify({ order: ["c1", "c2", "c3"], reason: "fine" }) }), { LLM_RESPONSE_FORMAT: "json_schema" });
    await rankCandidates(t.db, ticket);
    const rf = f.requests[0].body.response_format!;
    expect(rf.type).toBe("json_schema");
    expect(rf.json_schema).toMatchObject({ name: "assignee_rerank", strict: true });
    expect(rf.json_schema!.schema).toMatchObject({ required: ["order", "reason"], additionalProperties: false, properties: { order: { items: { enum: ["c1", "c2", "c3"] } } } });
  });

  it.each<[string, Reply, RegExp]>([
    ["not JSON", { kind: "json", content: "I would pick the second one." }, /^invalid_json/],
    ["a candidate twice", { kind: "json", content: JSON.stringify({ order: ["c2", "c2", "c1"], reason: "x" }) }, /^schema_mismatch/],
    ["an unknown id", { kind: "json", content: JSON.stringify({ order: ["c9", "c1", "c2"], reason: "x" }) }, /^schema_mismatch/],
    ["extra fields", { kind: "json", content: JSON.stringify({ order: ["c2", "c1", "c3"], reason: "x", pick: "c2" }) }, /^schema_mismatch/],
    ["HTTP 500", { kind: "status", status: 500 }, /^server_error/],
  ])("keeps the local order and records why on %s", async (_name, reply, why) => {
    await useFake(() => reply);
    const r = await rankCandidates(t.db, ticket);
    expect(r.candidates.map((c) => c.email)).toEqual(["dock@corp.test", "battery@corp.test", "printers@corp.test"]);
    expect(r.rerank.status).toBe("failed");
    expect(r.rerank.status === "failed" && r.rerank.reason).toMatch(why);
  });

  it("TRIAGE_MODE=local sends nothing to the LLM", async () => {
    const f = await useFake(() => ({ kind: "json", content: "{}" }), { TRIAGE_MODE: "local" });
    const r = await rankCandidates(t.db, ticket);
    expect(r.rerank).toEqual({ status: "skipped", reason: "TRIAGE_MODE=local" });
    expect(f.requests).toHaveLength(0);
  });

  it("autoAssign follows the rerank and the ticket page shows it; a failed rerank is shown too", async () => {
    // Filing a ticket may ask the same LLM to triage it (hybrid mode): answer reranks by their prompt, in order.
    let reranks = 0;
    const f = await useFake((_n, req) => {
      if (!req.body.messages?.[0].content.includes("assign IT service desk tickets")) return { kind: "status", status: 503 };
      return reranks++ === 0
        ? { kind: "json", content: JSON.stringify({ order: ["c2", "c1", "c3"], reason: "Junior has time for a battery swap." }) }
        : { kind: "json", content: "garbage" };
    });
    const a = await fileTicket(t.db, ticket.title, ticket.description, ticket.teamSlug);
    const r = await autoAssign(t.db, a.id);
    expect(r).toMatchObject({ status: "assigned", assignee: { email: "battery@corp.test" }, reason: "matched: battery; load 0/10; in hours; LLM rerank" });
    expect(await latestAutoAssignment(t.db, a.id)).toMatchObject({ rerank: "LLM rerank (rerank-model): Junior has time for a battery swap." });

    const b = await fileTicket(t.db, ticket.title, ticket.description, ticket.teamSlug);
    const r2 = await autoAssign(t.db, b.id);
    expect(r2).toMatchObject({ status: "assigned", assignee: { email: "dock@corp.test" } });
    expect((await latestAutoAssignment(t.db, b.id))?.rerank).toMatch(/^LLM rerank failed \(invalid_json: .*\); skill order kept$/);
    expect(reranks).toBe(2);
    expect(f.requests.length).toBeGreaterThanOrEqual(2);
  });
});
