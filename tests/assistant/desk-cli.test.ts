import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * scripts/desk.mts against a loopback HTTP server that fakes POST /api/assistant: it records
 * each request (URL, Authorization header, JSON body) and answers from a script.
 */

interface Seen {
  url: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

const seen: Seen[] = [];
let answer: (s: Seen) => { status: number; body: unknown } = () => ({ status: 500, body: {} });
let server: http.Server;
let base = "";

const C = "0b6f3c1e-8d9a-4c1b-9f7e-2a3b4c5d6e7f";
const ticket = (key: string, title: string) => ({ key, title, status: "open", priority: "P2", category: "network", team: null, assignee: null, requester: "jo@example.com", createdAt: "2026-11-30T09:00:00.000Z", href: `/tickets/${key}` });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const s: Seen = { url: req.url ?? "", auth: req.headers.authorization, body: raw ? JSON.parse(raw) : {} };
      seen.push(s);
      const a = req.method === "POST" && s.url.startsWith("/api/assistant") ? answer(s) : { status: 404, body: { error: { message: "no route" } } };
      res.writeHead(a.status, { "content-type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

/** Run the CLI (async: the fake server lives in this process); stdin is not a terminal. */
function desk(args: string[], env: Record<string, string | undefined> = { SWITCHBOARD_URL: base, SWITCHBOARD_API_KEY: "sk_test_123" }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  seen.length = 0;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_URL: undefined, SWITCHBOARD_API_KEY: undefined, ...env };
  return new Promise((resolve) => {
    const child = spawn(TSX, ["scripts/desk.mts", ...args], { env: childEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end();
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run desk", () => {
  it("without the environment prints the usage and exits 2", async () => {
    const r = await desk(["take T-12"], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("SWITCHBOARD_URL");
    expect(r.stderr).toContain("usage:");
    expect(seen).toHaveLength(0);
    expect((await desk([])).code).toBe(2);
  }, 30_000);

  it("posts the command with the API key and prints the message and a ticket table with links", async () => {
    answer = () => ({ status: 200, body: { op: "assign", ok: true, data: { kind: "ticket", ticket: ticket("T-12", "VPN drops every hour"), changes: ["assignee"] }, message: "Assigned T-12 to you.", conversationId: C } });
    const r = await desk(["take", "T-12"]);
    expect(r.code).toBe(0);
    expect(seen).toEqual([{ url: "/api/assistant", auth: "Bearer sk_test_123", body: { text: "take T-12" } }]);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("Assigned T-12 to you.");
    expect(lines[1]).toMatch(/^KEY\s+STATUS\s+PRIORITY\s+TITLE\s+LINK$/);
    expect(lines[2]).toMatch(new RegExp(`^T-12\\s+open\\s+P2\\s+VPN drops every hour\\s+${base}/tickets/T-12$`));
  }, 30_000);

  it("--compact asks for ?compact=1 and prints the compact JSON; --json prints the full answer", async () => {
    answer = (s) => ({ status: 200, body: s.url.includes("compact=1") ? { s: "ok", a: "shown", d: { id: "T-12", t: "VPN", cat: "network", pri: 2, stat: "open" }, c: C } : { op: "show", ok: true, data: null, message: "T-12", conversationId: C } });
    const compact = await desk(["show T-12", "--compact", "--ticket", "T-12"]);
    expect(compact.code).toBe(0);
    expect(seen[0]).toMatchObject({ url: "/api/assistant?compact=1", body: { text: "show T-12", ticketKey: "T-12" } });
    expect(JSON.parse(compact.stdout)).toEqual({ s: "ok", a: "shown", d: { id: "T-12", t: "VPN", cat: "network", pri: 2, stat: "open" }, c: C });
    const full = await desk(["show T-12", "--json"]);
    expect(seen[0].url).toBe("/api/assistant");
    expect(JSON.parse(full.stdout)).toEqual({ op: "show", ok: true, data: null, message: "T-12", conversationId: C });
  }, 30_000);

  it("a bulk change runs after --yes with {confirm: token} in the same conversation; without a terminal and --yes it does not", async () => {
    answer = (s) =>
      s.body.confirm
        ? { status: 200, body: { op: "bulk", ok: true, data: { kind: "bulk", results: [{ key: "T-3", ok: true }, { key: "T-4", ok: false, error: "Already closed" }], succeeded: 1, failed: 1 }, message: "Closed 1 of 2 tickets.", conversationId: C } }
        : { status: 200, body: { op: "bulk", ok: true, data: { kind: "confirm", token: "tok-abc", expiresAt: "2026-12-02T08:00:00Z", tickets: [ticket("T-3", "Printer"), ticket("T-4", "Scanner")], total: 2, action: "close" }, message: "This closes 2 tickets.", conversationId: C } };
    const yes = await desk(["close all my waiting tickets", "--yes"]);
    expect(yes.code).toBe(0);
    expect(seen.map((s) => s.body)).toEqual([{ text: "close all my waiting tickets" }, { confirm: "tok-abc", conversationId: C }]);
    expect(seen[1].auth).toBe("Bearer sk_test_123");
    expect(yes.stdout).toContain("This closes 2 tickets.");
    expect(yes.stdout).toContain("Closed 1 of 2 tickets.");
    expect(yes.stdout).toMatch(/T-4\s+failed\s+Already closed/);

    const no = await desk(["close all my waiting tickets"]);
    expect(no.code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(no.stderr).toContain("--yes");

    answer = (s) => (s.body.confirm ? { status: 200, body: { s: "ok", a: "done", n: 2, d: ["T-3", "T-4"], c: C } } : { status: 200, body: { s: "cf", a: "confirm", tok: "tok-c", n: 2, d: ["T-3", "T-4"], c: C } });
    const compact = await desk(["close all my waiting tickets", "--compact", "-y"]);
    expect(compact.code).toBe(0);
    expect(seen.map((s) => s.body)).toEqual([{ text: "close all my waiting tickets" }, { confirm: "tok-c", conversationId: C }]);
  }, 60_000);

  it("an HTTP error prints its message and exits 1", async () => {
    answer = () => ({ status: 404, body: { op: "show", ok: false, data: null, message: "Ticket T-99 not found", conversationId: C, error: { code: "not_found", message: "Ticket T-99 not found", details: null } } });
    const r = await desk(["show T-99"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Ticket T-99 not found");
    answer = () => ({ status: 401, body: { error: { code: "unauthorized", message: "Sign in or send an API key", details: null } } });
    const u = await desk(["show T-1"]);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain("Sign in or send an API key (HTTP 401)");
    const down = await desk(["show T-1"], { SWITCHBOARD_URL: "http://127.0.0.1:1", SWITCHBOARD_API_KEY: "k" });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("cannot reach");
  }, 60_000);
});
