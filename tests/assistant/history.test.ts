import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import {
  AUDIT_CSV_COLUMNS,
  conversationTitle,
  exportChatMessagesCsv,
  getConversation,
  listChatMessagesForAudit,
  listConversations,
  recentMessages,
  recordExchange,
  ticketIdByKey,
} from "@/lib/assistant/history";
import type { Provenance } from "@/lib/assistant/types";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";

const t = useTestDb();

const GRAMMAR: Provenance = { provider: "grammar", model: null, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: 1.4 };
const LLM: Provenance = { provider: "groq", model: "llama-3.3-70b", promptTokens: 812, completionTokens: 41, costUsd: 0.000512, latencyMs: 640 };

async function principal(email: string, role: Principal["role"], kind: Principal["kind"] = "user"): Promise<Principal> {
  const a = await makeActor(t.db, email, role);
  return { kind, id: a.id, role, userId: a.id, email, label: email.split("@")[0] };
}

const expectStatus = async (p: Promise<unknown>, status: number) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).status).toBe(status);
};

describe("assistant chat history", () => {
  it("titles a conversation with the first ~80 characters, cut at a word", () => {
    expect(conversationTitle("  take   T-12 ")).toBe("take T-12");
    const long = conversationTitle("create ticket for the printer on the third floor that keeps jamming on every single page since monday");
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith("…")).toBe(true);
    expect(long).toMatch(/^create ticket for the printer/);
  });

  it("records exchanges, continues only own conversations, lists and reads them; admins audit and export", async () => {
    const agent = await principal("h-agent@corp.test", "agent");
    const other = await principal("h-other@corp.test", "agent");
    const req = await principal("h-req@corp.test", "requester");
    const admin = await principal("h-admin@corp.test", "admin");
    const { ticket } = await createTicket(t.db, { title: "VPN drops every hour", description: "The VPN client disconnects hourly", email: "h-req@corp.test" }, { principal: null, defaultSource: "api" });
    const ticketId = (await ticketIdByKey(t.db, ticket.key))!;
    expect(ticketId).toBeGreaterThan(0);

    const first = await recordExchange(t.db, {
      principal: agent,
      userText: "show open P1 tickets",
      response: { op: "list", ok: true, data: { kind: "tickets", tickets: [], total: 0, totalCap: 1000, filter: { status: ["open"] }, description: "open P1" }, message: "No tickets." },
      provenance: LLM,
    });
    const cont = await recordExchange(t.db, {
      principal: agent,
      conversationId: first.conversationId,
      ticketId,
      userText: "=take it",
      response: { op: "assign", ok: false, data: null, message: "Ticket not found" },
      provenance: GRAMMAR,
    });
    expect(cont.conversationId).toBe(first.conversationId);
    // Someone else's conversation is a 404, and nothing is written.
    const before = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM chat_messages`);
    await expectStatus(recordExchange(t.db, { principal: other, conversationId: first.conversationId, userText: "x", response: { op: "help", ok: true, data: null, message: "" }, provenance: GRAMMAR }), 404);
    expect(await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM chat_messages`)).toEqual(before);
    await expectStatus(recentMessages(t.db, other, first.conversationId), 404);

    const mine = await recordExchange(t.db, { principal: req, ticketId, userText: "show my tickets", response: { op: "list", ok: true, data: null, message: "1 ticket" }, provenance: GRAMMAR });

    // The conversation: 4 messages, title from the first text, the ticket linked on continuing.
    const conv = await getConversation(t.db, agent, first.conversationId);
    expect(conv).toMatchObject({ title: "show open P1 tickets", ticketKey: ticket.key, messageCount: 4, actorLabel: "h-agent" });
    expect(conv.messages.map((m) => [m.role, m.op, m.ok])).toEqual([
      ["user", null, null],
      ["assistant", "list", true],
      ["user", null, null],
      ["assistant", "assign", false],
    ]);
    expect(conv.messages[1]).toMatchObject({ provider: "groq", model: "llama-3.3-70b", promptTokens: 812, completionTokens: 41, costUsd: 0.000512, latencyMs: 640 });
    expect(conv.messages[1].data).toMatchObject({ kind: "tickets", total: 0 });
    expect((await recentMessages(t.db, agent, first.conversationId, 3)).map((m) => m.content)).toEqual(["No tickets.", "=take it", "Ticket not found"]);

    // Own only: the requester cannot read the agent's chat (404), nor list it; admins may read any.
    await expectStatus(getConversation(t.db, req, first.conversationId), 404);
    await expectStatus(getConversation(t.db, other, first.conversationId), 404);
    await expectStatus(getConversation(t.db, agent, "not-a-uuid"), 404);
    expect((await getConversation(t.db, admin, first.conversationId)).id).toBe(first.conversationId);
    expect((await listConversations(t.db, req)).items.map((c) => c.id)).toEqual([mine.conversationId]);
    expect((await listConversations(t.db, req, { ticketKey: ticket.key })).items.map((c) => c.id)).toEqual([mine.conversationId]);
    expect((await listConversations(t.db, agent, { ticketKey: ticket.key })).items.map((c) => c.id)).toEqual([first.conversationId]);
    expect((await listConversations(t.db, agent, { ticketKey: "T-99999" })).items).toEqual([]);
    expect((await listConversations(t.db, other)).items).toEqual([]);
    // The same person through an API key (userId shared) sees the same conversations.
    const viaKey: Principal = { ...agent, kind: "api_key", id: "00000000-0000-4000-8000-0000000000ab", label: "api-key:cli" };
    expect((await listConversations(t.db, viaKey)).items.map((c) => c.id)).toEqual([first.conversationId]);

    // Paging: newest activity first, the cursor walks the rest.
    for (let i = 0; i < 3; i++) await recordExchange(t.db, { principal: other, userText: `cmd ${i}`, response: { op: "help", ok: true, data: null, message: "" }, provenance: GRAMMAR });
    const p1 = await listConversations(t.db, other, { limit: 2 });
    expect(p1.items.map((c) => c.title)).toEqual(["cmd 2", "cmd 1"]);
    const p2 = await listConversations(t.db, other, { limit: 2, cursor: p1.nextCursor! });
    expect(p2.items.map((c) => c.title)).toEqual(["cmd 0"]);
    expect(p2.nextCursor).toBeNull();
    await expectStatus(listConversations(t.db, other, { cursor: "bogus" }), 400);

    // Audit: admins only, filters, newest first.
    await expectStatus(listChatMessagesForAudit(t.db, agent, { limit: 10 }), 403);
    const all = await listChatMessagesForAudit(t.db, admin, { limit: 100 });
    expect(all.items).toHaveLength(12);
    expect(all.items[0].id).toBeGreaterThan(all.items[1].id);
    const byActor = await listChatMessagesForAudit(t.db, admin, { actor: "h-agent@corp", limit: 100 });
    expect(byActor.items).toHaveLength(4);
    const byTicket = await listChatMessagesForAudit(t.db, admin, { ticket: ticket.key, op: "assign", limit: 100 });
    // The op filter keeps the matching answer and the question it answered.
    expect(byTicket.items.map((m) => [m.actor, m.ticketKey, m.content])).toEqual([
      ["h-agent", ticket.key, "Ticket not found"],
      ["h-agent", ticket.key, "=take it"],
    ]);
    const paged = await listChatMessagesForAudit(t.db, admin, { limit: 5 });
    const rest = await listChatMessagesForAudit(t.db, admin, { limit: 100, cursor: paged.nextCursor! });
    expect([...paged.items, ...rest.items].map((m) => m.id)).toEqual(all.items.map((m) => m.id));
    expect((await listChatMessagesForAudit(t.db, admin, { from: "2000-01-01T00:00:00Z", to: "2000-01-02T00:00:00Z", limit: 10 })).items).toEqual([]);

    await expectStatus(exportChatMessagesCsv(t.db, req, {}), 403);
    const { csv, rows: n, truncated } = await exportChatMessagesCsv(t.db, admin, { actor: "h-agent" });
    expect([n, truncated]).toEqual([4, false]);
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.map((c) => `"${c}"`).join(","));
    expect(lines).toHaveLength(5);
    // Newest first; a cell starting with "=" is neutralised; provenance columns filled on answers.
    expect(lines[2]).toContain(`"'=take it"`);
    expect(lines[3]).toMatch(/"assistant","No tickets\.","list","true","groq","llama-3\.3-70b",812,41,0\.000512,640,""$/);
  });
});
