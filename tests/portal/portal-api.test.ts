import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as csatRoute from "@/app/api/tickets/[key]/csat/route";
import * as statusRoute from "@/app/api/tickets/[key]/requester-status/route";
import * as deflectionsRoute from "@/app/api/deflections/route";
import * as suggestRoute from "@/app/api/deflections/suggest/route";
import { openApiDocument } from "@/lib/http/openapi";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { clearEnv, setEnv } from "../triage/set-env";

const t = useTestDb();
let agent: Actor, alice: Actor, bob: Actor;

/** An agent files a ticket for `who` (confirmed: filed by staff). */
async function fileFor(who: Actor, title: string, description: string): Promise<string> {
  const r = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title, description, email: who.email } });
  expect(r.status).toBe(201);
  return r.body.ticket.key;
}
const patch = (key: string, body: unknown) => call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body });
const setStatus = (who: Actor, key: string, body: unknown) =>
  call(statusRoute.POST, { path: `/api/tickets/${key}/requester-status`, key: who.key, params: { key }, body });
const rate = (who: Actor, key: string, body: unknown) => call(csatRoute.POST, { path: `/api/tickets/${key}/csat`, key: who.key, params: { key }, body });
const readRating = (who: Actor, key: string) => call(csatRoute.GET, { path: `/api/tickets/${key}/csat`, key: who.key, params: { key } });
const idOf = (key: string) => Number(key.slice(2));

beforeAll(async () => {
  ({ agent, alice, bob } = await makeDeskActors(t.db));
});

describe("POST /api/tickets/{key}/requester-status", () => {
  it("the requester marks their ticket solved through the lifecycle, with their note as the resolution", async () => {
    const key = await fileFor(alice, "Outlook keeps asking for my password", "Outlook asks for my password every few minutes since the update");
    const r = await setStatus(alice, key, { action: "solve", note: "  Restarting the laptop fixed it  " });
    expect(r.status).toBe(200);
    expect(r.body.ticket).toEqual({ key, status: "resolved", resolution: "Restarting the laptop fixed it" });
    const [row] = await rows<{ status: string; resolution: string; resolved: boolean }>(
      t.db,
      sql`SELECT status::text AS status, resolution, resolved_at IS NOT NULL AS resolved FROM tickets WHERE id = ${idOf(key)}`,
    );
    expect(row).toEqual({ status: "resolved", resolution: "Restarting the laptop fixed it", resolved: true });
    const audit = await rows<{ action: string; after: Record<string, unknown>; actor_label: string }>(
      t.db,
      sql`SELECT action, after, actor_label FROM audit_events WHERE ticket_id = ${idOf(key)} AND action IN ('ticket.status_changed', 'ticket.resolution_changed') ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["ticket.status_changed", "ticket.resolution_changed"]);
    expect(audit[0].after).toMatchObject({ status: "resolved", cause: "requester" });
    expect(audit[0].actor_label).toContain(alice.email);
    const events = await rows<{ payload: Record<string, unknown> }>(
      t.db,
      sql`SELECT payload FROM domain_events WHERE ticket_id = ${idOf(key)} AND type = 'ticket.status_changed'`,
    );
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ from: "new", to: "resolved", cause: "requester" })]);

    // Solving twice is an illegal move.
    const again = await setStatus(alice, key, { action: "solve" });
    expect(again.status).toBe(409);
    expect(again.body.error.details.move).toBe("reopen");
  });

  it("without a note the resolution says the requester solved it", async () => {
    const key = await fileFor(alice, "Teams camera not found", "Teams does not find my camera in meetings since yesterday");
    const r = await setStatus(alice, key, { action: "solve", note: "   " });
    expect(r.status).toBe(200);
    expect(r.body.ticket.resolution).toBe("Solved by the requester");
  });

  it("reopens within the reopen window, not after it, and never a closed ticket", async () => {
    const key = await fileFor(alice, "Shared drive is read-only", "The finance shared drive became read-only for me this morning");
    expect((await patch(key, { status: "resolved", resolution: "Permissions restored" })).status).toBe(200);
    expect((await setStatus(alice, key, { action: "reopen" })).status).toBe(200);
    const [row] = await rows<{ status: string; resolved: boolean }>(t.db, sql`SELECT status::text AS status, resolved_at IS NOT NULL AS resolved FROM tickets WHERE id = ${idOf(key)}`);
    expect(row).toEqual({ status: "open", resolved: false });
    // Reopening an open ticket is refused.
    expect((await setStatus(alice, key, { action: "reopen" })).status).toBe(409);

    // Resolved 8 days ago with the default 7-day window: a new request instead.
    expect((await patch(key, { status: "resolved" })).status).toBe(200);
    await t.db.execute(sql`UPDATE tickets SET created_at = now() - interval '9 days', resolved_at = now() - interval '8 days' WHERE id = ${idOf(key)}`);
    const late = await setStatus(alice, key, { action: "reopen" });
    expect(late.status).toBe(409);
    expect(late.body.error.details.move).toBe("new_request");
    expect(late.body.error.message).toMatch(/more than 7 days ago/);

    expect((await patch(key, { status: "closed" })).status).toBe(200);
    const closed = await setStatus(alice, key, { action: "reopen" });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toMatch(/closed/);
    expect((await setStatus(alice, key, { action: "solve" })).status).toBe(409);
  });

  it("someone else's ticket is a 404, an agent a 403, bad input a 400", async () => {
    const key = await fileFor(alice, "Badge does not open the door", "My badge stopped opening the second floor door");
    expect((await setStatus(bob, key, { action: "solve" })).status).toBe(404);
    expect((await setStatus(bob, "T-999999", { action: "solve" })).status).toBe(404);
    expect((await setStatus(agent, key, { action: "solve" })).status).toBe(403);
    expect((await setStatus(alice, key, { action: "close" })).status).toBe(400);
    expect((await setStatus(alice, key, { action: "solve", extra: 1 })).status).toBe(400);
    expect((await setStatus(alice, key, { action: "solve", note: "x".repeat(5001) })).status).toBe(400);
    const anon = await call(statusRoute.POST, { path: `/api/tickets/${key}/requester-status`, params: { key }, body: { action: "solve" } });
    expect(anon.status).toBe(401);
    const [row] = await rows<{ status: string }>(t.db, sql`SELECT status::text AS status FROM tickets WHERE id = ${idOf(key)}`);
    expect(row.status).toBe("new");
  });
});

describe("/api/tickets/{key}/csat", () => {
  it("the requester rates a resolved ticket once; team and assignee are kept; a second rating is 409", async () => {
    const key = await fileFor(alice, "Laptop fan is very loud", "The fan of my laptop runs loud all day even when idle");
    expect((await patch(key, { assignee: agent.id, team: "service-desk", status: "resolved", resolution: "Cleaned the fan" })).status).toBe(200);
    expect((await readRating(alice, key)).body).toEqual({ rating: null, canRate: true });

    const r = await rate(alice, key, { rating: "good", comment: " Quick and friendly " });
    expect(r.status).toBe(201);
    expect(r.body.rating).toMatchObject({ rating: "good", comment: "Quick and friendly" });
    const stored = await rows<{ rating: string; team_slug: string; assignee_id: string; requester_email: string }>(
      t.db,
      sql`SELECT rating, team_slug, assignee_id::text AS assignee_id, requester_email FROM csat_ratings WHERE ticket_id = ${idOf(key)}`,
    );
    expect(stored).toEqual([{ rating: "good", team_slug: "service-desk", assignee_id: agent.id, requester_email: alice.email }]);

    const second = await rate(alice, key, { rating: "bad" });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("conflict");
    const g = await readRating(alice, key);
    expect(g.body).toMatchObject({ rating: { rating: "good", comment: "Quick and friendly" }, canRate: false });
    // Agents can read the rating, not give one.
    expect((await readRating(agent, key)).body.rating.rating).toBe("good");
    const audit = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_events WHERE ticket_id = ${idOf(key)} AND action = 'ticket.csat_rated'`);
    expect(audit[0].n).toBe(1);
  });

  it("404 for someone else's ticket or an agent, 409 while unresolved, 400 for a bad rating", async () => {
    const key = await fileFor(alice, "Monitor flickers", "My second monitor flickers every few seconds");
    expect((await rate(alice, key, { rating: "good" })).status).toBe(409);
    expect((await patch(key, { status: "resolved", resolution: "Replaced the cable" })).status).toBe(200);
    expect((await rate(bob, key, { rating: "good" })).status).toBe(404);
    expect((await readRating(bob, key)).status).toBe(404);
    expect((await rate(agent, key, { rating: "good" })).status).toBe(404);
    expect((await rate(alice, key, { rating: "great" })).status).toBe(400);
    expect((await rate(alice, key, {})).status).toBe(400);
    expect((await rate(alice, key, { rating: "bad", comment: "x".repeat(1001) })).status).toBe(400);
    const n = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM csat_ratings WHERE ticket_id = ${idOf(key)}`);
    expect(n[0].n).toBe(0);
    // Closed tickets can still be rated.
    expect((await patch(key, { status: "closed" })).status).toBe(200);
    expect((await rate(alice, key, { rating: "bad", comment: "Took a week" })).status).toBe(201);
  });
});

describe("/api/deflections", () => {
  const suggest = (body: unknown, who?: Actor) => call(suggestRoute.POST, { path: "/api/deflections/suggest", key: who?.key, body });
  const record = (body: unknown, who?: Actor) => call(deflectionsRoute.POST, { path: "/api/deflections", key: who?.key, body });
  let resolvedKey = "";
  let requesterSolvedKey = "";

  beforeAll(async () => {
    // Bob's resolved ticket: his description has a private word that must never reach anyone else.
    resolvedKey = await fileFor(
      bob,
      "VPN client disconnects every hour zorblaxian",
      "The VPN client disconnects every hour and I lose my remote desktop session, zorblaxian payroll case",
    );
    expect((await patch(resolvedKey, { status: "resolved", resolution: "Update the VPN client to version 5.2 from the software centre" })).status).toBe(200);
    // A similar ticket its requester solved with their own note: not an agent's answer, never suggested.
    requesterSolvedKey = await fileFor(bob, "VPN client disconnects every hour", "The VPN client disconnects every hour and my remote desktop session drops");
    expect((await setStatus(bob, requesterSolvedKey, { action: "solve", note: "quuxfrobnic my private fix" })).status).toBe(200);
    // An unresolved similar ticket: never suggested.
    await fileFor(bob, "VPN client disconnects every hour", "The VPN client disconnects every hour, remote desktop session lost again");
  });

  it("suggests the agent-written resolution of similar resolved tickets, never a description, title or e-mail", async () => {
    const r = await suggest({ title: "VPN disconnects", description: "My VPN client disconnects every hour and the remote desktop session is lost" }, alice);
    expect(r.status).toBe(200);
    expect(r.body.suggestions).toEqual([
      { key: resolvedKey, categoryName: expect.any(String), resolution: "Update the VPN client to version 5.2 from the software centre", similarity: expect.any(Number) },
    ]);
    expect(r.body.suggestions[0].similarity).toBeGreaterThanOrEqual(0.6);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/zorblaxian/i);
    expect(text).not.toMatch(/quuxfrobnic/i);
    expect(text).not.toContain(bob.email);
    expect(text).not.toMatch(/payroll/i);

    // Unrelated text: nothing.
    const none = await suggest({ description: "The coffee machine on the third floor leaks water onto the carpet" }, alice);
    expect(none.status).toBe(200);
    expect(none.body.suggestions).toEqual([]);
  });

  it("works anonymously while public submissions are on, and rejects bad input", async () => {
    const anon = await suggest({ description: "My VPN client disconnects every hour and the remote desktop session is lost" });
    expect(anon.status).toBe(200);
    expect(anon.body.suggestions.map((s: { key: string }) => s.key)).toEqual([resolvedKey]);
    expect(anon.headers.get("ratelimit-limit")).toBe("60");
    expect((await suggest({ description: "" })).status).toBe(400);
    // With public submissions off, anonymous callers are refused (signed-in ones are not).
    setEnv({ PUBLIC_SUBMISSIONS: "false" });
    try {
      expect((await suggest({ description: "My VPN client disconnects every hour" })).status).toBe(401);
      expect((await record({ ticketKey: resolvedKey })).status).toBe(401);
      expect((await suggest({ description: "My VPN client disconnects every hour" }, alice)).status).toBe(200);
    } finally {
      clearEnv(["PUBLIC_SUBMISSIONS"]);
    }
    expect((await suggest({ description: "ok text here", other: 1 })).status).toBe(400);
  });

  it("counts 'This solved my problem' with the requester's e-mail, anonymous without", async () => {
    expect((await record({ ticketKey: resolvedKey }, alice)).status).toBe(201);
    expect((await record({ ticketKey: resolvedKey })).status).toBe(201);
    const unresolved = await fileFor(alice, "Printer offline", "The printer on floor 3 is offline");
    expect((await record({ ticketKey: unresolved }, alice)).status).toBe(404);
    expect((await record({ ticketKey: "T-999999" }, alice)).status).toBe(404);
    expect((await record({ ticketKey: "nope" }, alice)).status).toBe(400);
    const d = await rows<{ ticket_id: number; requester_email: string | null }>(
      t.db,
      sql`SELECT ticket_id::int AS ticket_id, requester_email FROM deflections ORDER BY id`,
    );
    expect(d).toEqual([
      { ticket_id: idOf(resolvedKey), requester_email: alice.email },
      { ticket_id: idOf(resolvedKey), requester_email: null },
    ]);
  });
});

it("documents the portal endpoints in OpenAPI", () => {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  expect(Object.keys(paths["/api/tickets/{key}/requester-status"])).toEqual(["post"]);
  expect(Object.keys(paths["/api/tickets/{key}/csat"]).sort()).toEqual(["get", "post"]);
  expect(paths["/api/deflections/suggest"].post).toBeDefined();
  expect(paths["/api/deflections"].post).toBeDefined();
});
