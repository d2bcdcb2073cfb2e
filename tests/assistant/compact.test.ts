import { describe, expect, it } from "vitest";
import { compactTicket, toCompact } from "@/lib/assistant/compact";
import type { AssistantResponse, TicketSummary } from "@/lib/assistant/types";

const C = "0b6f3c1e-8d9a-4c1b-9f7e-2a3b4c5d6e7f";

function ticket(over: Partial<TicketSummary> = {}): TicketSummary {
  return {
    key: "T-12",
    title: "API timeouts in production",
    status: "in_progress",
    priority: "P2",
    category: "network",
    team: "infrastructure",
    assignee: "Maria Lopez",
    requester: "jo@example.com",
    createdAt: "2026-11-30T09:00:00.000Z",
    href: "/tickets/T-12",
    ...over,
  };
}

const res = (r: Omit<AssistantResponse, "conversationId">): AssistantResponse => ({ ...r, conversationId: C });

describe("toCompact (seed 004's short-key form)", () => {
  it("maps a ticket: short status, numeric priority, title cut to 50, assignee only when set", () => {
    expect(compactTicket(ticket())).toEqual({ id: "T-12", t: "API timeouts in production", cat: "network", pri: 2, stat: "prog", as: "Maria Lopez" });
    const long = compactTicket(ticket({ title: "x".repeat(80), assignee: null, status: "waiting", priority: "P4" }));
    expect(long.t).toHaveLength(50);
    expect(long.t.endsWith("…")).toBe(true);
    expect(long).not.toHaveProperty("as");
    expect([long.stat, long.pri]).toEqual(["wait", 4]);
    const map = { new: "new", open: "open", in_progress: "prog", waiting: "wait", resolved: "res", closed: "cls" } as const;
    for (const [status, stat] of Object.entries(map)) expect(compactTicket(ticket({ status: status as TicketSummary["status"] })).stat).toBe(stat);
  });

  it("maps each op to its past-tense action", () => {
    const one = (op: AssistantResponse["op"], t = ticket()) => toCompact(res({ op, ok: true, data: { kind: "ticket", ticket: t, changes: [] }, message: "x" }));
    expect(one("create")).toEqual({ s: "ok", a: "created", d: compactTicket(ticket()), c: C });
    expect(one("update").a).toBe("updated");
    expect(one("assign").a).toBe("assigned");
    expect(one("comment").a).toBe("commented");
    expect(one("show").a).toBe("shown");
    expect(one("resolve", ticket({ status: "closed" })).a).toBe("closed");
    expect(one("resolve", ticket({ status: "resolved" })).a).toBe("resolved");
  });

  it("lists with n = total, and gt when the total is past the cap", () => {
    const list = (total: number | null) =>
      toCompact(res({ op: "list", ok: true, data: { kind: "tickets", tickets: [ticket()], total, totalCap: 1000, filter: {}, description: "open" }, message: "1 ticket" }));
    expect(list(1)).toEqual({ s: "ok", a: "listed", n: 1, d: [compactTicket(ticket())], c: C });
    expect(list(null)).toMatchObject({ n: 1000, gt: 1 });
  });

  it("counts, confirms with the token and keys, reports bulk results", () => {
    expect(toCompact(res({ op: "stats", ok: true, data: { kind: "stats", metric: "tickets", count: 7, from: null, to: null, description: "" }, message: "7" }))).toEqual({ s: "ok", a: "counted", n: 7, c: C });
    const cf = toCompact(res({ op: "bulk", ok: true, data: { kind: "confirm", token: "tok1", expiresAt: "", tickets: [ticket(), ticket({ key: "T-13" })], total: 2, action: "close" }, message: "Close 2?" }));
    expect(cf).toEqual({ s: "cf", a: "confirm", tok: "tok1", n: 2, d: ["T-12", "T-13"], c: C });
    const done = toCompact(
      res({ op: "bulk", ok: true, data: { kind: "bulk", results: [{ key: "T-12", ok: true }, { key: "T-13", ok: false, error: "Already closed" }], succeeded: 1, failed: 1 }, message: "1 of 2" }),
    );
    expect(done).toEqual({ s: "ok", a: "done", n: 1, d: ["T-12"], f: [{ id: "T-13", m: "Already closed" }], c: C });
  });

  it("errors: nf for 404, er otherwise, with the message and candidate commands", () => {
    const nf = toCompact({ ...res({ op: "show", ok: false, data: null, message: "Ticket T-99 not found" }), error: { code: "not_found" } });
    expect(nf).toEqual({ s: "nf", m: "Ticket T-99 not found", c: C });
    const er = toCompact({
      ...res({ op: "assign", ok: false, data: { kind: "candidates", field: "assignee", candidates: [{ label: "Maria Lopez", command: "assign T-12 to maria@example.com" }] }, message: "Which Maria?" }),
      error: { code: "conflict" },
    });
    expect(er).toEqual({ s: "er", m: "Which Maria?", d: ["assign T-12 to maria@example.com"], c: C });
  });

  it("help and clarify carry examples or commands", () => {
    expect(toCompact(res({ op: "help", ok: true, data: { kind: "help", examples: ["take T-12"] }, message: "" }))).toEqual({ s: "ok", a: "help", d: ["take T-12"], c: C });
    expect(toCompact(res({ op: "help", ok: false, data: { kind: "help", examples: ["take T-12"] }, message: "Not understood" }))).toEqual({ s: "er", a: "help", m: "Not understood", d: ["take T-12"], c: C });
    expect(toCompact(res({ op: "clarify", ok: false, data: { kind: "candidates", field: "input", candidates: [{ label: "a", command: "show T-1" }] }, message: "Which?" }))).toEqual({
      s: "er",
      a: "clarify",
      m: "Which?",
      d: ["show T-1"],
      c: C,
    });
    expect(toCompact(res({ op: "clarify", ok: false, data: null, message: "Which ticket?" }))).toEqual({ s: "er", a: "clarify", m: "Which ticket?", c: C });
  });

  it("is shorter than the full JSON", () => {
    const full = res({ op: "list", ok: true, data: { kind: "tickets", tickets: [ticket(), ticket({ key: "T-13" })], total: 2, totalCap: 1000, filter: { status: ["open"] }, description: "open tickets" }, message: "2 open tickets." });
    expect(JSON.stringify(toCompact(full)).length).toBeLessThan(JSON.stringify(full).length / 2);
  });
});
