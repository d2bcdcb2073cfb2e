import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as assistantRoute from "@/app/api/tickets/[key]/assistant/route";
import type { Principal } from "@/lib/auth/principal";
import { suggestForTicket } from "@/lib/assistant/suggest";
import { parseCommand } from "@/lib/assistant/grammar";
import { removeSentencesCiting } from "@/lib/assistant/suggest/grounding";
import { commands } from "@/lib/assistant/suggest/rules";
import { ApiError } from "@/lib/http/errors";
import { startFakeLlm, type RecordedRequest, type Reply, LLM_ENV_KEYS } from "../fakes/llm-server";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { clearEnv, setEnv } from "../triage/set-env";

/** Every LLM variable (TRIAGE_MODE included): cleared before each test. */
const LLM_ENV = LLM_ENV_KEYS;

const t = useTestDb();
let actors: { agent: Actor; alice: Actor; bob: Actor };
let agentP: Principal;
let aliceP: Principal;
/** Keys: printer fix (resolved), vpn fix (resolved), subject (open), its duplicate (open), vague (open). */
const k = { printerFix: "", vpnFix: "", subject: "", duplicate: "", vague: "" };
const PRINTER_FIX = "Replaced the toner cartridge in the second floor printer and cleared the print queue.";

async function file(a: Actor, email: string, title: string, description: string): Promise<string> {
  const r = await call(ticketsRoute.POST, { path: "/api/tickets", key: a.key, body: { title, description, email } });
  expect(r.status).toBe(201);
  return r.body.ticket.key as string;
}
async function resolve(key: string, resolution: string) {
  const r = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: actors.agent.key, params: { key }, body: { status: "resolved", resolution } });
  expect(r.status).toBe(200);
}
const principal = (a: Actor, role: "agent" | "requester"): Principal => ({ kind: "user", id: a.id, role, userId: a.id, email: a.email, label: a.email.split("@")[0] });

let fake: Awaited<ReturnType<typeof startFakeLlm>> | null = null;
async function useFake(script: (n: number, r: RecordedRequest) => Reply) {
  fake = await startFakeLlm(script);
  setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "llama3.1:8b", LLM_MAX_RETRIES: "0" });
  return fake;
}

beforeAll(async () => {
  clearEnv(LLM_ENV);
  const d = await makeDeskActors(t.db);
  actors = { agent: d.agent, alice: d.alice, bob: d.bob };
  agentP = principal(d.agent, "agent");
  aliceP = principal(d.alice, "requester");
  k.printerFix = await file(d.alice, d.alice.email, "Printer out of toner", "The printer on the second floor says toner empty and prints faded pages, please replace the toner");
  k.vpnFix = await file(d.alice, d.alice.email, "VPN login fails", "I cannot connect to the VPN from home, the client says authentication failed after the password change");
  await resolve(k.printerFix, PRINTER_FIX);
  await resolve(k.vpnFix, "Reset the VPN token and re-enrolled the authenticator app.");
  k.subject = await file(d.bob, d.bob.email, "Printer toner empty", "The printer on the second floor says the toner is empty and the pages print faded, please replace the toner");
  k.duplicate = await file(d.bob, d.bob.email, "Printer toner empty again", "The printer on the second floor says the toner is empty and the pages print faded, please replace the toner");
  k.vague = await file(d.bob, d.bob.email, "Help", "It does not work");
  const note = await call(commentsRoute.POST, { path: `/api/tickets/${k.subject}/comments`, key: d.agent.key, params: { key: k.subject }, body: { body: "Checked the print server queue, nothing stuck. Vendor contact is ops@vendor.example", internal: true } });
  expect(note.status).toBe(201);
}, 120_000);

beforeEach(() => clearEnv(LLM_ENV));
afterEach(async () => {
  await fake?.close();
  fake = null;
  clearEnv(LLM_ENV);
});

describe("ticket suggestions from templates (no LLM)", () => {
  it("proposes the fix of a similar resolved ticket, citing it, with a resolve action and the duplicate", async () => {
    const s = await suggestForTicket(t.db, k.subject, agentP);
    expect(s.provenance).toMatchObject({ provider: "templates", model: null, promptTokens: 0 });
    expect(s.fallbackReason).toBeNull();
    expect(s.similar.map((x) => x.key)).toContain(k.printerFix);
    expect(s.similar.map((x) => x.key)).not.toContain(k.vpnFix);
    expect(s.similar.map((x) => x.key)).not.toContain(k.duplicate); // open tickets are not "resolved similar"
    const fix = s.similar.find((x) => x.key === k.printerFix)!;
    expect(fix).toMatchObject({ status: "resolved", resolution: PRINTER_FIX, href: `/tickets/${k.printerFix}` });
    expect(fix.resolvedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect(s.reply!.citations).toEqual([k.printerFix]);
    expect(s.reply!.text).toMatch(/^Hello bob,/);
    expect(s.reply!.text).toContain(`A similar issue (${k.printerFix}) was fixed by: ${PRINTER_FIX}`);
    expect(s.droppedCitations).toEqual([]);

    const resolveFix = s.actions.find((a) => a.kind === "resolve_known_fix");
    expect(resolveFix).toMatchObject({ ticketKey: k.printerFix, command: `resolve ${k.subject}, ${PRINTER_FIX}` });
    const merge = s.actions.find((a) => a.kind === "merge_duplicate");
    // the subject is the older of the two: the duplicate is resolved as a duplicate of it
    expect(merge).toMatchObject({ ticketKey: k.duplicate, command: `resolve ${k.duplicate}, duplicate of ${k.subject}` });
    expect(s.actions.find((a) => a.kind === "assign")).toMatchObject({ command: `take ${k.subject}` });
  });

  it("asks for the missing detail of a vague ticket", async () => {
    const s = await suggestForTicket(t.db, k.vague, agentP);
    const ask = s.actions.find((a) => a.kind === "ask_detail");
    expect(ask).toBeDefined();
    expect(ask!.detail).toMatch(/short/);
    expect(ask!.command).toMatch(new RegExp(`^reply to ${k.vague}: .+\\?`));
    expect(s.actions.some((a) => a.kind === "resolve_known_fix" || a.kind === "merge_duplicate")).toBe(false);
    expect(s.reply!.citations).toEqual([]);
    expect(s.reply!.text).toContain("To help us resolve it quickly:");
  });

  it("refuses requesters (403) and unknown tickets (404)", async () => {
    await expect(suggestForTicket(t.db, k.subject, aliceP)).rejects.toMatchObject({ code: "forbidden" });
    const err = await suggestForTicket(t.db, "T-99999", agentP).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("not_found");
  });
});

describe("ticket suggestions with an LLM (loopback fake)", () => {
  it("grounds the prompt on the retrieved tickets and the thread, and drops citations outside them", async () => {
    const answer = {
      reply: `Hello Bob,\n\nA similar issue (${k.printerFix}) was fixed by replacing the toner cartridge. The same happened in ${k.vpnFix} last week. See also T-99999 for details.\n\nBest regards,\nagent`,
      citations: [k.printerFix, k.vpnFix, "T-99999"],
      actions: [
        { kind: "resolve_known_fix", label: "Apply the known fix", detail: "Replace the toner.", ticketKey: k.printerFix },
        { kind: "merge_duplicate", label: "Merge", detail: "Same issue.", ticketKey: "T-99999" },
        { kind: "escalate", label: "Escalate", detail: `Like ${k.vpnFix}.`, ticketKey: null },
      ],
    };
    const f = await useFake(() => ({ kind: "json", content: JSON.stringify(answer), promptTokens: 900, completionTokens: 120 }));
    const s = await suggestForTicket(t.db, k.subject, agentP);

    expect(f.requests).toHaveLength(1);
    const user = f.requests[0].body.messages!.find((m) => m.role === "user")!.content;
    expect(user).toContain(k.printerFix);
    expect(user).toContain("cleared the print queue"); // its resolution
    expect(user).toContain(k.duplicate);
    expect(user).toContain("Checked the print server queue"); // the thread's internal note
    expect(user).not.toContain("ops@vendor.example"); // redacted
    expect(user).not.toContain(k.vpnFix); // not retrieved

    expect(s.provenance).toMatchObject({ provider: "openai-compatible", model: "llama3.1:8b", promptTokens: 900, completionTokens: 120 });
    expect(s.droppedCitations).toEqual([k.vpnFix, "T-99999"]);
    expect(s.reply!.citations).toEqual([k.printerFix]);
    expect(s.reply!.text).toContain(`A similar issue (${k.printerFix}) was fixed by replacing the toner cartridge.`);
    expect(s.reply!.text).not.toContain(k.vpnFix);
    expect(s.reply!.text).not.toContain("T-99999");
    expect(s.reply!.text).toMatch(/^Hello Bob,/);
    const keysInActions = s.actions.map((a) => a.ticketKey).filter(Boolean);
    expect(keysInActions).not.toContain("T-99999");
    expect(s.actions.some((a) => `${a.label} ${a.detail}`.includes(k.vpnFix))).toBe(false);
    // commands come from the retrieved data, not from the LLM
    expect(s.actions[0]).toMatchObject({ kind: "resolve_known_fix", label: "Apply the known fix", ticketKey: k.printerFix, command: `resolve ${k.subject}, ${PRINTER_FIX}` });
    // the rules' merge action (the real duplicate) is still there
    expect(s.actions.find((a) => a.kind === "merge_duplicate")).toMatchObject({ ticketKey: k.duplicate });
  });

  it("falls back to templates when the LLM fails, noting why", async () => {
    await useFake(() => ({ kind: "status", status: 500 }));
    const s = await suggestForTicket(t.db, k.subject, agentP);
    expect(s.provenance.provider).toBe("templates");
    expect(s.fallbackReason).toBe("openai-compatible:server_error");
    expect(s.reply!.citations).toEqual([k.printerFix]);
  });

  it("never calls the LLM with TRIAGE_MODE=local (templates answer)", async () => {
    const f = await useFake(() => ({ kind: "status", status: 500 }));
    setEnv({ TRIAGE_MODE: "local" });
    try {
      const s = await suggestForTicket(t.db, k.subject, agentP);
      expect(f.requests).toHaveLength(0);
      expect(s.provenance.provider).toBe("templates");
      expect(s.fallbackReason).toBeNull();
    } finally {
      clearEnv(["TRIAGE_MODE"]);
    }
  });

  it("drops the reply when every sentence relies on a dropped citation", async () => {
    await useFake(() => ({ kind: "json", content: JSON.stringify({ reply: "T-99999 was fixed by a reboot.", citations: ["T-99999"], actions: [] }) }));
    const s = await suggestForTicket(t.db, k.subject, agentP);
    expect(s.reply).toBeNull();
    expect(s.droppedCitations).toEqual(["T-99999"]);
    expect(s.actions.length).toBeGreaterThan(0); // the rules' actions remain
  });
});

describe("action commands", () => {
  const ctx = { now: new Date("2026-12-02T09:00:00Z"), timeZone: "UTC", categories: [{ slug: "hardware", name: "Hardware" }], teams: [{ slug: "service-desk", name: "Service Desk" }] };
  const parsed = (command: string) => {
    const r = parseCommand(command, ctx);
    expect(r.kind, command).toBe("op");
    return r.kind === "op" ? r.op : null;
  };

  it("are commands the assistant grammar runs as the action says", async () => {
    const s = await suggestForTicket(t.db, k.subject, agentP);
    const byKind = Object.fromEntries(s.actions.filter((a) => a.command).map((a) => [a.kind, a.command!]));
    expect(parsed(byKind.resolve_known_fix)).toEqual({ op: "resolve", key: k.subject, status: "resolved", resolution: PRINTER_FIX });
    expect(parsed(byKind.merge_duplicate)).toEqual({ op: "resolve", key: k.duplicate, status: "resolved", resolution: `duplicate of ${k.subject}` });
    expect(parsed(byKind.assign)).toEqual({ op: "assign", key: k.subject, assignee: "me" });
    const vague = await suggestForTicket(t.db, k.vague, agentP);
    const ask = vague.actions.find((a) => a.kind === "ask_detail")!;
    expect(parsed(ask.command!)).toMatchObject({ op: "comment", key: k.vague, internal: false, body: ask.command!.replace(/^reply to T-\d+: /, "") });
    expect(parsed(commands.priority("T-5", "P2"))).toMatchObject({ op: "update", key: "T-5", priority: "P2" });
  });
});

describe("removeSentencesCiting", () => {
  it("removes only the sentences that mention a dropped key", () => {
    const text = "Hello Ann,\n\nTry version 1.2 of the driver. T-7 had it too! Does it help?\n\nRegards";
    expect(removeSentencesCiting(text, new Set(["T-7"]))).toBe("Hello Ann,\n\nTry version 1.2 of the driver. Does it help?\n\nRegards");
    expect(removeSentencesCiting(text, new Set(["T-8"]))).toBe(text);
  });
});

describe("GET /api/tickets/{key}/assistant", () => {
  it("answers agents and records the exchange in their chat history; 403 for requesters, 404 for unknown keys", async () => {
    const r = await call(assistantRoute.GET, { path: `/api/tickets/${k.subject}/assistant`, key: actors.agent.key, params: { key: k.subject } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ticketKey: k.subject, provenance: { provider: "templates" }, droppedCitations: [] });
    expect(r.body.reply.citations).toEqual([k.printerFix]);
    expect(r.body.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get("ratelimit-limit")).toBe("60");
    const msgs = await rows<{ role: string; op: string | null; content: string; provider: string | null; ticket_key: string | null }>(
      t.db,
      sql`SELECT m.role, m.op, m.content, m.provider, t.key AS ticket_key FROM chat_messages m LEFT JOIN tickets t ON t.id = m.ticket_id
          WHERE m.conversation_id = ${r.body.conversationId} ORDER BY m.id`,
    );
    expect(msgs.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(msgs[1]).toMatchObject({ op: "suggest", provider: "templates", ticket_key: k.subject });
    expect(msgs[1].content).toContain(`A similar issue (${k.printerFix})`);

    const lower = await call(assistantRoute.GET, { path: `/api/tickets/${k.subject.toLowerCase()}/assistant`, key: actors.agent.key, params: { key: k.subject.toLowerCase() } });
    expect(lower.status).toBe(200);
    // The same person and ticket: the same conversation, and an unchanged answer is not stored again.
    expect(lower.body.conversationId).toBe(r.body.conversationId);
    const again = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM chat_messages WHERE conversation_id = ${r.body.conversationId}`);
    expect(Number(again[0].n)).toBe(2);
    const asRequester = await call(assistantRoute.GET, { path: `/api/tickets/${k.subject}/assistant`, key: actors.bob.key, params: { key: k.subject } });
    expect(asRequester.status).toBe(403);
    const unknown = await call(assistantRoute.GET, { path: "/api/tickets/T-99999/assistant", key: actors.agent.key, params: { key: "T-99999" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });
});
