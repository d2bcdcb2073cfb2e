import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import { startFakeLlm, useFakeLlmEnv, type Reply } from "../../fakes/llm-server";
import { setEnv } from "../../triage/set-env";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call } from "../../helpers/http";
import { TcpProxy } from "../../helpers/tcp-proxy";

/*
 * Fault: the LLM endpoint (an OpenAI-compatible provider, TRIAGE_MODE=llm) is down, slow past
 * LLM_TIMEOUT_MS, or answers garbage. Every POST /api/tickets still answers 201 with LOCAL
 * triage, and the ticket's triage_decisions row names why the LLM was not used
 * (fallback_reason `openai-compatible:<reason>`). The fakes count the calls they saw.
 */

const t = useTestDb();
const llmEnv = useFakeLlmEnv();
let agent: Actor;
/** Figures for docs/RELIABILITY.md, printed after the file. */
const figures: string[] = [];

beforeAll(async () => {
  agent = await makeActor(t.db, "llm-fault-agent@corp.test", "agent", { teamSlug: "service-desk" });
});
afterAll(() => {
  console.log(`[faults:llm]\n${figures.join("\n")}`);
});

const env = (url: string, extra: Record<string, string> = {}) => ({
  LLM_BASE_URL: `${url}/v1`,
  LLM_MODEL: "fault-model",
  TRIAGE_MODE: "llm",
  LLM_MAX_RETRIES: "1",
  LLM_TIMEOUT_MS: "1500",
  ...extra,
});

let n = 0;
/** File one ticket through the route; returns its key and its decision row. */
async function fileTicket() {
  n++;
  const res = await call<{ ticket: { key: string; category: string }; triage: { provider: string } }>(ticketsRoute.POST, {
    path: "/api/tickets",
    key: agent.key,
    body: { title: `VPN rejects my password (${n})`, description: "Since this morning the VPN rejects my password and I cannot reach the finance share.", email: "alice@corp.test" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const [d] = await rows<{ provider: string; mode: string; fallback_reason: string | null; predicted_category: string; category: string }>(
    t.db,
    sql`SELECT d.provider, d.mode::text AS mode, d.fallback_reason, d.predicted_category, d.final_category AS category
        FROM triage_decisions d JOIN tickets k ON k.id = d.ticket_id WHERE k.key = ${res.body.ticket.key}`,
  );
  return { key: res.body.ticket.key, triage: res.body.triage, decision: d };
}

/** A raw loopback HTTP server for answers the OpenAI-shaped fake cannot give (slow, truncated, HTML). */
async function rawServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get hits() {
      return hits;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const completion = (content: string) =>
  JSON.stringify({
    id: "chatcmpl-raw",
    object: "chat.completion",
    created: 0,
    model: "fault-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });

describe("LLM endpoint faults: tickets are created with local triage and the decision says why", () => {
  it("control: a healthy endpoint is used (the fault cases below are not passing for another reason)", async () => {
    const f = await llmEnv.start({ kind: "json", content: JSON.stringify({ category: "access", confidence: 0.95 }) }, (u) => env(u));
    const r = await fileTicket();
    expect(r.decision).toMatchObject({ provider: "openai-compatible", mode: "llm", fallback_reason: null, predicted_category: "access" });
    expect(f.requests).toHaveLength(1);
  });

  it("down (connection refused): 201, local triage, fallback_reason …:connection", async () => {
    // A proxy that is up, then down, gives a port that refuses connections.
    const upstream = await startFakeLlm(() => ({ kind: "json", content: "{}" }));
    const proxy = new TcpProxy({ host: "127.0.0.1", port: Number(new URL(upstream.url).port) });
    await proxy.up();
    await proxy.down();
    setEnv(env(`http://127.0.0.1:${proxy.port}`));
    try {
      const tickets = [await fileTicket(), await fileTicket(), await fileTicket()];
      for (const r of tickets) {
        expect(r.triage.provider).toBe("local");
        expect(r.decision).toMatchObject({ provider: "local", mode: "llm", fallback_reason: "openai-compatible:connection" });
        expect(r.decision.category).toBe(r.decision.predicted_category);
      }
      expect(upstream.requests).toHaveLength(0);
      expect(proxy.connections).toBe(0);
      figures.push(`down: 3 tickets, connection refused, 3×201 local, fallback_reason=openai-compatible:connection`);
    } finally {
      await upstream.close();
    }
  });

  it("slow past LLM_TIMEOUT_MS: 201, local triage, fallback_reason …:timeout", async () => {
    const slow = await rawServer((_req, res) => {
      const timer = setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(completion(JSON.stringify({ category: "access", confidence: 0.9 })));
      }, 4000);
      res.on("close", () => clearTimeout(timer));
    });
    setEnv(env(slow.url, { LLM_TIMEOUT_MS: "400", LLM_MAX_RETRIES: "0" }));
    try {
      const r = await fileTicket();
      expect(r.decision).toMatchObject({ provider: "local", mode: "llm", fallback_reason: "openai-compatible:timeout" });
      expect(slow.hits).toBeGreaterThanOrEqual(1);
      figures.push(`slow: answer after 4 s, LLM_TIMEOUT_MS=400: 201 local, ${slow.hits} call(s), fallback_reason=openai-compatible:timeout`);
    } finally {
      await slow.close();
    }
  });

  const garbage: { name: string; reply: Reply; reason: string }[] = [
    { name: "non-JSON content", reply: { kind: "json", content: "I think it is about access, probably." }, reason: "invalid_json" },
    { name: "JSON of the wrong shape", reply: { kind: "json", content: JSON.stringify({ answer: ["access"], sure: "yes" }) }, reason: "schema_mismatch" },
    { name: "an invalid category", reply: { kind: "json", content: JSON.stringify({ category: "quantum-networking", confidence: 0.99 }) }, reason: "schema_mismatch" },
    { name: "HTTP 500", reply: { kind: "status", status: 500 }, reason: "server_error" },
  ];
  for (const g of garbage) {
    it(`garbage (${g.name}): 201, local triage, fallback_reason …:${g.reason}`, async () => {
      const f = await llmEnv.start(g.reply, (u) => env(u));
      const r = await fileTicket();
      expect(r.decision).toMatchObject({ provider: "local", mode: "llm", fallback_reason: `openai-compatible:${g.reason}` });
      expect(f.requests.length).toBeGreaterThanOrEqual(1);
      figures.push(`garbage ${g.name}: 201 local, ${f.requests.length} call(s), fallback_reason=openai-compatible:${g.reason}`);
    });
  }

  const raw: { name: string; handler: (req: http.IncomingMessage, res: http.ServerResponse) => void; reasons: RegExp }[] = [
    {
      name: "truncated body (connection cut mid-answer)",
      handler: (_req, res) => {
        const body = completion(JSON.stringify({ category: "access", confidence: 0.9 }));
        res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => res.socket?.destroy(), 20);
      },
      reasons: /^openai-compatible:connection$/,
    },
    {
      name: "an HTML error page with status 200",
      handler: (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body>502 Bad Gateway</body></html>");
      },
      reasons: /^openai-compatible:invalid_json$/,
    },
  ];
  for (const g of raw) {
    it(`garbage (${g.name}): 201, local triage, the decision names the failure`, async () => {
      const s = await rawServer(g.handler);
      setEnv(env(s.url));
      try {
        const r = await fileTicket();
        expect(r.decision.provider).toBe("local");
        expect(r.decision.mode).toBe("llm");
        expect(r.decision.fallback_reason).toMatch(g.reasons);
        expect(s.hits).toBeGreaterThanOrEqual(1);
        figures.push(`garbage ${g.name}: 201 local, ${s.hits} call(s), fallback_reason=${r.decision.fallback_reason}`);
      } finally {
        await s.close();
      }
    });
  }
});
