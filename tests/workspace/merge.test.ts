import { beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { uploads } from "@/db/schema";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as mergeRoute from "@/app/api/tickets/[key]/merge/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as watchersRoute from "@/app/api/tickets/[key]/watchers/route";
import { useTestDb } from "../helpers/db";
import { makeDeskActors, tableCounts, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { fileTicket } from "./bulk-helpers";

const t = useTestDb();
let agent: Actor, alice: Actor, bob: Actor;

beforeAll(async () => {
  ({ agent, alice, bob } = await makeDeskActors(t.db));
});

const merge = (who: Actor, key: string, body: unknown) => call(mergeRoute.POST, { path: `/api/tickets/${key}/merge`, key: who.key, params: { key }, body });
const get = (who: Actor, key: string) => call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: who.key, params: { key } });
const comment = (who: Actor, key: string, body: string, internal = false) =>
  call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: who.key, params: { key }, body: { body, internal } });

it("moves the duplicate's comments (authors, dates, attachments) to the primary and closes the duplicate with a link", async () => {
  const primary = await fileTicket(agent, alice.email, "Outlook crashes at start");
  const dup = await fileTicket(agent, bob.email, "Outlook keeps crashing");
  expect((await comment(bob, dup, "It also crashes in safe mode")).status).toBe(201);
  const note = await comment(agent, dup, "Asked Bob for the crash log", true);
  const [d0] = await rows<{ id: number; created_at: string; author_label: string }>(t.db, sql`SELECT id::int AS id, created_at::text, author_label FROM ticket_comments WHERE id = ${note.body.comment.id}`);
  const [file] = await t.db
    .insert(uploads)
    .values({ kind: "attachment", filename: "crash.log", contentType: "text/plain", sizeBytes: 10, storageKey: `test/${dup}/crash.log`, ownerLabel: "agent", ticketId: Number(dup.slice(2)), commentId: d0.id, status: "done", uploadExpiresAt: new Date() })
    .returning({ id: uploads.id });

  const r = await merge(agent, dup, { into: primary.toLowerCase() });
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ merged: dup, into: primary, movedComments: 2, movedAttachments: 1, watcherAdded: bob.email });

  const p = (await get(agent, primary)).body;
  const bodies = p.comments.map((c: { body: string }) => c.body);
  expect(bodies).toContain("It also crashes in safe mode");
  const moved = p.comments.find((c: { id: number }) => c.id === d0.id);
  expect(moved).toMatchObject({ author: d0.author_label, internal: true });
  expect(new Date(moved.createdAt).getTime()).toBe(new Date(d0.created_at).getTime());
  const mergeNote = p.comments.at(-1);
  expect(mergeNote.internal).toBe(true);
  expect(mergeNote.body).toMatch(new RegExp(`^Merged ${dup} into this ticket`));
  const [u] = await rows<{ ticket_id: number }>(t.db, sql`SELECT ticket_id::int AS ticket_id FROM uploads WHERE id = ${file.id}`);
  expect(u.ticket_id).toBe(Number(primary.slice(2)));

  const d = (await get(agent, dup)).body;
  expect(d.ticket.status).toBe("closed");
  expect(d.comments).toHaveLength(1);
  expect(d.comments[0]).toMatchObject({ internal: false });
  expect(d.comments[0].body).toContain(primary);

  // Bob (the duplicate's requester) now watches the primary; the requester sees the reply.
  const w = await call(watchersRoute.GET, { path: `/api/tickets/${primary}/watchers`, key: agent.key, params: { key: primary } });
  expect(w.body.watchers.map((x: { email: string }) => x.email)).toEqual([bob.email]);

  const ids = [Number(dup.slice(2)), Number(primary.slice(2))];
  const [m] = await rows<{ merged_into_id: number }>(t.db, sql`SELECT merged_into_id::int AS merged_into_id FROM tickets WHERE id = ${ids[0]}`);
  expect(m.merged_into_id).toBe(ids[1]);
  const audit = await rows<{ action: string; ticket_id: number }>(t.db, sql`SELECT action, ticket_id::int AS ticket_id FROM audit_events WHERE action IN ('ticket.merged', 'ticket.merge_received') ORDER BY id`);
  expect(audit).toEqual([{ action: "ticket.merged", ticket_id: ids[0] }, { action: "ticket.merge_received", ticket_id: ids[1] }]);
  const events = await rows<{ type: string; payload: unknown }>(t.db, sql`SELECT type, payload FROM domain_events WHERE type = 'ticket.merged'`);
  expect(events).toHaveLength(1);
  const payload = typeof events[0].payload === "string" ? JSON.parse(events[0].payload) : events[0].payload;
  expect(payload).toEqual({ key: dup, into: primary, movedComments: 2, movedAttachments: 1 });
  const closeEvent = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM domain_events WHERE type = 'ticket.status_changed' AND ticket_id = ${ids[0]} AND payload->>'to' = 'closed'`);
  expect(closeEvent[0].n).toBe(1);
});

it("refuses merging into itself, into or from a closed or merged ticket, and unknown tickets; nothing changes", async () => {
  const a = await fileTicket(agent, alice.email, "Teams camera black");
  const b = await fileTicket(agent, alice.email, "Teams camera shows black");
  const c = await fileTicket(agent, alice.email, "Teams camera not working");
  expect((await merge(agent, b, { into: a })).status).toBe(200);
  const before = await tableCounts(t.db);

  const self = await merge(agent, a, { into: a });
  expect(self.status).toBe(422);
  expect(self.body.error.details.field).toBe("into");
  const intoMerged = await merge(agent, c, { into: b });
  expect(intoMerged.status).toBe(409);
  expect(intoMerged.body.error.details.field).toBe("into");
  expect((await merge(agent, b, { into: c })).status).toBe(409); // already merged (and closed)
  expect((await merge(agent, a, { into: b })).status).toBe(409); // would be a cycle: b is merged into a
  expect((await merge(agent, c, { into: "T-999999" })).status).toBe(404);
  expect((await merge(agent, "T-999999", { into: c })).status).toBe(404);
  expect((await merge(agent, c, { into: "x" })).status).toBe(400);
  expect((await merge(agent, c, {})).status).toBe(400);
  expect((await merge(alice, c, { into: a })).status).toBe(403);
  expect(await tableCounts(t.db)).toEqual(before);
});
