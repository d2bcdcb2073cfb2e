import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { resetEnvForTests } from "@/lib/env";
import { replyEffect } from "@/lib/tickets/lifecycle";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let alice: Actor;

const vpn = { title: "VPN disconnects every hour", description: "Since Monday my VPN drops every hour and I lose my remote desktop session" };

async function file(email: string): Promise<string> {
  const r = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { ...vpn, email } });
  expect(r.status).toBe(201);
  return r.body.ticket.key as string;
}
const patch = (key: string, body: Record<string, unknown>) =>
  call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body });
const reply = (key: string, who: Actor, body: string, internal = false) =>
  call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: who.key, params: { key }, body: { body, internal } });
const get = (key: string) => call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: agent.key, params: { key } });

async function events(key: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  return rows(db, sql`SELECT type, payload FROM domain_events WHERE ticket_id = ${Number(key.slice(2))} ORDER BY id`);
}

/** Pretend the ticket was resolved `days` ago. */
async function resolvedDaysAgo(key: string, days: number) {
  await db.execute(sql`UPDATE tickets SET resolved_at = now() - make_interval(days => ${days}), created_at = now() - make_interval(days => ${days + 1})
                       WHERE id = ${Number(key.slice(2))}`);
}

beforeAll(async () => {
  db = testDb.db;
  ({ agent, alice } = await makeDeskActors(db));
  delete process.env.REOPEN_WINDOW_DAYS;
  resetEnvForTests();
});

describe("replyEffect (the reply rules)", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  it.each([
    // [status, resolvedAt, byRequester, internal, expected]
    ["new", null, false, false, { kind: "transition", to: "open", cause: "agent_reply" }],
    ["open", null, false, false, { kind: "none" }],
    ["waiting", null, false, false, { kind: "none" }],
    ["resolved", daysAgo(1), false, false, { kind: "none" }],
    ["closed", daysAgo(9), false, false, { kind: "refuse" }],
    ["closed", daysAgo(9), false, true, { kind: "refuse" }],
    ["waiting", null, false, true, { kind: "none" }],
    ["new", null, true, false, { kind: "none" }],
    ["in_progress", null, true, false, { kind: "none" }],
    ["waiting", null, true, false, { kind: "transition", to: "open", cause: "requester_reply" }],
    ["resolved", daysAgo(6.9), true, false, { kind: "transition", to: "open", cause: "requester_reply" }],
    ["resolved", daysAgo(7.1), true, false, { kind: "follow_up" }],
    ["closed", daysAgo(1), true, false, { kind: "follow_up" }],
  ] as const)("%s (resolved %s) reply by requester=%s internal=%s", (status, resolvedAt, byRequester, internal, expected) => {
    expect(replyEffect({ status, resolvedAt }, { byRequester, internal }, now, 7)).toEqual(expected);
  });
});

describe("ticket lifecycle through the API", () => {
  it("waiting carries a reason (default requester), changeable on its own; leaving waiting clears it", async () => {
    const key = await file(alice.email);
    const w = await patch(key, { status: "waiting" });
    expect(w.status).toBe(200);
    expect(w.body.ticket.status).toBe("waiting");
    expect(w.body.ticket.waitingReason).toBe("requester");
    const third = await patch(key, { waitingReason: "third_party" });
    expect(third.body.ticket.waitingReason).toBe("third_party");
    expect((await patch(key, { status: "open", waitingReason: "requester" })).status).toBe(422);
    const open = await patch(key, { status: "in_progress" });
    expect(open.body.ticket.waitingReason).toBeNull();
    const ev = await events(key);
    expect(ev.map((e) => e.type)).toEqual(["ticket.created", "ticket.status_changed", "ticket.updated", "ticket.status_changed"]);
    expect(ev[1].payload).toMatchObject({ key, from: "new", to: "waiting", waitingReason: "requester", cause: "agent" });
    expect(ev[2].payload).toMatchObject({ changes: { waitingReason: { from: "requester", to: "third_party" } } });
  });

  it("a requester's public reply on a waiting ticket moves it to open; an internal note does not", async () => {
    const key = await file(alice.email);
    await patch(key, { status: "waiting", waitingReason: "third_party" });
    await reply(key, agent, "Asked the vendor; still waiting", true);
    expect((await get(key)).body.ticket.status).toBe("waiting");
    const r = await reply(key, alice, "It happened again at 10:00");
    expect(r.status).toBe(201);
    expect(r.body.ticket.status).toBe("open");
    const t = (await get(key)).body;
    expect(t.ticket.waitingReason).toBeNull();
    const audit = t.history.filter((h: { action: string }) => h.action === "ticket.status_changed");
    expect(audit.at(-1)).toMatchObject({ before: { status: "waiting" }, after: { status: "open", cause: "requester_reply" } });
  });

  it("the first public agent reply sets first_response_at and opens a new ticket, through the lifecycle", async () => {
    const key = await file(alice.email);
    const r = await reply(key, agent, "Looking into it");
    expect(r.body.ticket.status).toBe("open");
    expect(r.body.ticket.firstResponseAt).not.toBeNull();
    const types = (await events(key)).map((e) => e.type);
    expect(types).toEqual(["ticket.created", "comment.added", "ticket.status_changed"]);
  });

  it("a requester's reply on a resolved ticket within REOPEN_WINDOW_DAYS reopens it and clears resolved_at", async () => {
    const key = await file(alice.email);
    await patch(key, { status: "resolved", resolution: "Replaced the VPN profile" });
    await resolvedDaysAgo(key, 6);
    const r = await reply(key, alice, "Still dropping, sorry");
    expect(r.status).toBe(201);
    expect(r.body.followUp).toBeNull();
    expect(r.body.ticket.status).toBe("open");
    const t = (await get(key)).body.ticket;
    expect(t.resolvedAt).toBeNull();
  });

  it("after the window, the reply files a follow-up ticket linked to the old one", async () => {
    const key = await file(alice.email);
    await patch(key, { status: "resolved", resolution: "Replaced the VPN profile" });
    await resolvedDaysAgo(key, 8);
    const r = await reply(key, alice, "It is back: VPN drops every hour again since the update");
    expect(r.status).toBe(201);
    expect(r.body.comment).toBeNull();
    expect(r.body.ticket).toMatchObject({ key, status: "resolved" });
    const follow = r.body.followUp.key as string;
    expect(follow).not.toBe(key);
    const f = (await get(follow)).body.ticket;
    expect(f).toMatchObject({ followUpOf: key, email: alice.email, status: "new", title: `Follow-up: ${vpn.title}` });
    expect(f.description).toContain("back");
    expect((await get(key)).body.history.some((h: { action: string }) => h.action === "ticket.follow_up_created")).toBe(true);
    expect((await events(key)).map((e) => e.type)).toContain("ticket.follow_up_created");
  });

  it("a reply on a closed ticket files a follow-up; the window is REOPEN_WINDOW_DAYS from the environment", async () => {
    const key = await file(alice.email);
    await patch(key, { status: "closed" });
    const r = await reply(key, alice, "One more thing about the VPN");
    expect(r.body.followUp.key).toMatch(/^T-\d+$/);
    expect((await get(key)).body.ticket.status).toBe("closed");

    process.env.REOPEN_WINDOW_DAYS = "30";
    resetEnvForTests();
    try {
      const k2 = await file(alice.email);
      await patch(k2, { status: "resolved" });
      await resolvedDaysAgo(k2, 20);
      expect((await reply(k2, alice, "Still broken")).body.ticket.status).toBe("open");
    } finally {
      delete process.env.REOPEN_WINDOW_DAYS;
      resetEnvForTests();
    }
  });

  it("illegal moves are refused and write nothing", async () => {
    const key = await file(alice.email);
    await patch(key, { status: "closed" });
    const before = await events(key);
    expect((await patch(key, { status: "open" })).status).toBe(409);
    expect((await patch(key, { status: "waiting", waitingReason: "requester" })).status).toBe(409);
    expect(await events(key)).toEqual(before);
  });
});
