import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { addComment } from "@/lib/tickets/add-comment";
import { organisationOf, requesterPanel } from "@/lib/tickets/requester-panel";
import type { Principal } from "@/lib/auth/principal";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
let agent: Actor, alice: Actor;

beforeAll(async () => {
  ({ agent, alice } = await makeDeskActors(t.db));
});

async function file(email: string, title = "Laptop will not boot after update"): Promise<string> {
  const r = await call(ticketsRoute.POST, {
    path: "/api/tickets",
    key: agent.key,
    body: { title, description: "Since the update this morning the laptop shows a black screen", email },
  });
  expect(r.status).toBe(201);
  return r.body.ticket.key;
}
const comment = (who: Actor, key: string, body: unknown) => call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: who.key, params: { key }, body });
const counts = async (key: string) =>
  (
    await rows<{ comments: number; audits: number }>(
      t.db,
      sql`SELECT (SELECT count(*) FROM ticket_comments c JOIN tickets x ON x.id = c.ticket_id WHERE x.key = ${key})::int AS comments,
                 (SELECT count(*) FROM audit_events a JOIN tickets x ON x.id = a.ticket_id WHERE x.key = ${key})::int AS audits`,
    )
  )[0];

describe("comment with status (send and set status)", () => {
  it("a reply and the status change commit together", async () => {
    const key = await file(alice.email);
    const r = await comment(agent, key, { body: "Please try holding the power button for 30 seconds.", status: "waiting" });
    expect(r.status).toBe(201);
    expect(r.body.ticket.status).toBe("waiting");
    expect(r.body.ticket.firstResponseAt).not.toBeNull();
    const got = await call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: agent.key, params: { key } });
    expect(got.body.ticket).toMatchObject({ status: "waiting", waitingReason: "requester" });
    expect(got.body.comments).toHaveLength(1);

    const note = await comment(agent, key, { body: "Third party is checking the BIOS.", internal: true, status: "waiting", waitingReason: "third_party" });
    expect(note.status).toBe(201);
    const again = await call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: agent.key, params: { key } });
    expect(again.body.ticket.waitingReason).toBe("third_party");

    const done = await comment(agent, key, { body: "Fixed by the BIOS update.", status: "resolved" });
    expect(done.status).toBe(201);
    expect(done.body.ticket.status).toBe("resolved");
  });

  it("a refused transition leaves no comment and no audit row", async () => {
    const key = await file(alice.email);
    const before = await counts(key);
    const r = await comment(agent, key, { body: "Closing this right away.", status: "new" });
    expect(r.status).toBe(409);
    expect(await counts(key)).toEqual(before);
    const bad = await comment(agent, key, { body: "Waiting on whom?", status: "open", waitingReason: "requester" });
    expect(bad.status).toBe(422);
    expect(await counts(key)).toEqual(before);
  });

  it("requesters cannot set a status with their reply, and cannot probe other tickets", async () => {
    const key = await file(alice.email);
    await t.db.execute(sql`UPDATE tickets SET requester_verified = true WHERE key = ${key}`);
    const before = await counts(key);
    expect((await comment(alice, key, { body: "It works now, thanks!", status: "resolved" })).status).toBe(403);
    expect(await counts(key)).toEqual(before);
    const bob = await makeActor(t.db, "bob2@corp.test", "requester");
    expect((await comment(bob, key, { body: "Me too", status: "resolved" })).status).toBe(404);
  });

  it("applies a macro's field changes with the comment (lib)", async () => {
    const key = await file(alice.email);
    const principal: Principal = { kind: "user", id: agent.id, role: "agent", userId: agent.id, email: agent.email, label: "agent" };
    const r = await addComment(t.db, key, { body: "Taking this one.", internal: false }, principal, { changes: { priority: "P2", assignee: agent.id, status: "in_progress" } });
    expect(r.ticket.status).toBe("in_progress");
    const [row] = await rows<{ priority: string; assignee_id: string }>(t.db, sql`SELECT priority, assignee_id FROM tickets WHERE key = ${key}`);
    expect(row).toEqual({ priority: "P2", assignee_id: agent.id });
    // The explicit status wins over the macro's.
    const r2 = await addComment(t.db, key, { body: "Waiting for you.", internal: false, status: "waiting" }, principal, { changes: { status: "resolved" } });
    expect(r2.ticket.status).toBe("waiting");
  });
});

describe("requester panel", () => {
  it("derives the organisation from the e-mail domain, not from free-mail", () => {
    expect(organisationOf("ann@Acme.com")).toBe("acme.com");
    expect(organisationOf("ann@gmail.com")).toBeNull();
    expect(organisationOf("nobody")).toBeNull();
  });

  it("lists the requester's other open and solved tickets and counts the organisation's", async () => {
    await t.db.execute(sql`INSERT INTO users (email, name, role) VALUES ('carla@acme-panel.test', 'Carla Conti', 'requester')`);
    const current = await file("carla@acme-panel.test", "Current problem with VPN");
    const open1 = await file("carla@acme-panel.test", "Older open problem with mail");
    const solved = await file("carla@acme-panel.test", "Solved problem with printer");
    await comment(agent, solved, { body: "Fixed.", status: "resolved" });
    await file("dave@acme-panel.test", "Colleague's ticket about Wi-Fi");
    await file("eve@gmail.com", "Free-mail ticket about Wi-Fi");
    const [row] = await rows<{ id: number }>(t.db, sql`SELECT id FROM tickets WHERE key = ${current}`);
    const principal: Principal = { kind: "user", id: agent.id, role: "agent", userId: agent.id, email: agent.email, label: "agent" };
    const panel = await requesterPanel(t.db, principal, { id: row.id, email: "carla@acme-panel.test" });
    expect(panel.name).toBe("Carla Conti");
    expect(panel.organisation).toBe("acme-panel.test");
    expect(panel.open.map((x) => x.key)).toEqual([open1]);
    expect(panel.recent.map((x) => x.key)).toEqual([solved]);
    expect(panel.totalOther).toBe(2);
    expect(panel.organisationTickets).toBe(4);
    const requester: Principal = { kind: "user", id: alice.id, role: "requester", userId: alice.id, email: alice.email, label: "alice" };
    await expect(requesterPanel(t.db, requester, { id: row.id, email: "carla@acme-panel.test" })).rejects.toMatchObject({ code: "forbidden" });

    const [free] = await rows<{ id: number }>(t.db, sql`SELECT id FROM tickets WHERE requester_email = 'eve@gmail.com'`);
    const p2 = await requesterPanel(t.db, principal, { id: free.id, email: "eve@gmail.com" });
    expect(p2).toMatchObject({ name: null, organisation: null, organisationTickets: null, open: [], recent: [], totalOther: 0 });
  });
});
