import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { ticketConfirmations, tickets } from "@/db/schema";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { createTicket } from "@/lib/tickets/create-ticket";
import { confirmRequester, inspectConfirmation, issueConfirmation } from "@/lib/tickets/requester-confirmation";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * Section 4 "Anonymous tickets under anyone's e-mail": signed out, /submit filed a ticket as
 * bob@…, and it showed in Bob's /requests with Bob as the actor. Now such a ticket is
 * unverified, hidden from Bob until he confirms it by the e-mailed link, and the audit trail
 * names the actor "anonymous (claimed bob@…)".
 */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let bob: Actor;

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  bob = await makeActor(db, "bob@corp.test", "requester");
});

/** What the /submit server action does for a signed-out visitor. */
async function fileAnonymously(title: string) {
  const { ticket } = await createTicket(
    db,
    { title, description: "Please reset the password of my account", email: bob.email },
    { principal: null, defaultSource: "web" },
  );
  // The lead's createTicket sets this for signed-out web submissions; make the test independent of it.
  const [row] = await db.update(tickets).set({ requesterVerified: false }).where(eq(tickets.key, ticket.key)).returning({ id: tickets.id });
  return { key: ticket.key, id: Number(row.id) };
}

async function confirmationFor(ticketId: number): Promise<string> {
  return db.transaction(async (tx) => (await issueConfirmation(tx, { ticketId, email: bob.email })).token);
}

const bobSees = async (key: string) => {
  const list = await call(ticketsRoute.GET, { path: "/api/tickets?limit=100", key: bob.key });
  const listed = list.body.items.some((t: { key: string }) => t.key === key);
  const read = await call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: bob.key, params: { key } });
  const search = await call(ticketsRoute.GET, { path: `/api/tickets?q=${encodeURIComponent("reset password")}`, key: bob.key });
  const found = search.body.items.some((t: { key: string }) => t.key === key);
  return { listed, read: read.status, found };
};

describe("a ticket filed signed out under Bob's e-mail", () => {
  it("is unverified as createTicket files it, with the anonymous actor in its audit trail", async () => {
    const { ticket } = await createTicket(
      db,
      { title: "Claimed ticket", description: "Filed without signing in, claims to be Bob", email: bob.email },
      { principal: null, defaultSource: "web" },
    );
    const [row] = await db.select({ v: tickets.requesterVerified }).from(tickets).where(eq(tickets.key, ticket.key));
    expect(row.v).toBe(false);
    const detail = await call(ticketRoute.GET, { path: `/api/tickets/${ticket.key}`, key: agent.key, params: { key: ticket.key } });
    const created = detail.body.history.find((h: { action: string }) => h.action === "ticket.created");
    expect(created).toMatchObject({ actor: "anonymous (claimed bob@corp.test)", actorType: "user" });
  });

  it("labels the audit actor as anonymous, never as the claimed user", () => {
    expect(actorOf(null, "bob@corp.test")).toEqual({ actorType: "user", actorId: null, actorLabel: "anonymous (claimed bob@corp.test)" });
    expect(actorOf(null)).toEqual({ actorType: "user", actorId: null, actorLabel: "anonymous" });
  });

  it("is hidden from Bob (list, read, search, reply) until confirmed; agents see it", async () => {
    const t = await fileAnonymously("Reset password please");
    expect(await bobSees(t.key)).toEqual({ listed: false, read: 404, found: false });
    const reply = await call(commentsRoute.POST, { path: `/api/tickets/${t.key}/comments`, key: bob.key, params: { key: t.key }, body: { body: "mine?" } });
    expect(reply.status).toBe(404);
    const asAgent = await call(ticketRoute.GET, { path: `/api/tickets/${t.key}`, key: agent.key, params: { key: t.key } });
    expect(asAgent.status).toBe(200);

    const token = await confirmationFor(t.id);
    expect(await inspectConfirmation(db, token)).toMatchObject({ state: "pending", ticketKey: t.key, email: bob.email });
    expect(await confirmRequester(db, token)).toEqual({ ticketKey: t.key, email: bob.email });
    expect(await bobSees(t.key)).toEqual({ listed: true, read: 200, found: true });
    expect(await inspectConfirmation(db, token)).toMatchObject({ state: "confirmed" });

    const detail = await call(ticketRoute.GET, { path: `/api/tickets/${t.key}`, key: agent.key, params: { key: t.key } });
    expect(detail.body.history.map((h: { action: string }) => h.action)).toContain("ticket.requester_confirmed");
    const ev = detail.body.history.find((h: { action: string }) => h.action === "ticket.requester_confirmed");
    expect(ev).toMatchObject({ actorType: "user", before: { requesterVerified: false }, after: { requesterVerified: true } });
    const [event] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from domain_events where type = 'ticket.updated' and ticket_id = ${t.id} and payload->'changes' ? 'requesterVerified'`,
    );
    expect(event.n).toBe(1);
  });

  it("the link works once: a second use is 410", async () => {
    const t = await fileAnonymously("Second ticket to confirm");
    const token = await confirmationFor(t.id);
    await confirmRequester(db, token);
    const again = await confirmRequester(db, token).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect((again as ApiError).status).toBe(410);
  });

  it("two concurrent clicks confirm once", async () => {
    const t = await fileAnonymously("Concurrent confirmation");
    const token = await confirmationFor(t.id);
    const results = await Promise.allSettled([confirmRequester(db, token), confirmRequester(db, token)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [n] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_events where ticket_id = ${t.id} and action = 'ticket.requester_confirmed'`);
    expect(n.n).toBe(1);
  });

  it("an expired link is 410 and leaves the ticket hidden", async () => {
    const t = await fileAnonymously("Expired confirmation");
    const token = await confirmationFor(t.id);
    await db.execute(sql`update ticket_confirmations set expires_at = now() - interval '1 second' where ticket_id = ${t.id}`);
    expect(await inspectConfirmation(db, token)).toMatchObject({ state: "expired" });
    const err = await confirmRequester(db, token).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(410);
    expect((err as ApiError).details).toEqual({ reason: "expired" });
    expect((await bobSees(t.key)).read).toBe(404);
  });

  it("unknown and malformed tokens are 404", async () => {
    for (const token of [crypto.randomBytes(32).toString("base64url"), "short", "../../etc", "x".repeat(500)]) {
      const err = await confirmRequester(db, token).catch((e: unknown) => e);
      expect((err as ApiError).status, token).toBe(404);
      expect(await inspectConfirmation(db, token)).toEqual({ state: "unknown" });
    }
  });

  it("stores only the SHA-256 of the token, valid for 7 days", async () => {
    const t = await fileAnonymously("Hash check");
    const token = await confirmationFor(t.id);
    const [row] = await db
      .select({ hash: ticketConfirmations.tokenHash, days: sql<number>`round(extract(epoch from (expires_at - created_at)) / 86400)::int` })
      .from(ticketConfirmations)
      .where(eq(ticketConfirmations.ticketId, t.id));
    expect(row.hash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(row.hash).not.toContain(token);
    expect(row.days).toBe(7);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("tickets Bob files signed in stay visible at once", async () => {
    const res = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: bob.key,
      body: { title: "Own ticket", description: "Filed while signed in as Bob", email: bob.email },
    });
    expect(res.status).toBe(201);
    expect((await bobSees(res.body.ticket.key)).listed).toBe(true);
  });
});
