import { beforeAll, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { teams } from "@/db/schema";
import { mailNotifyJob } from "@/lib/mail/notify";
import { runEventJob } from "@/lib/jobs/run-job";
import { getEvent } from "@/lib/jobs/events";
import { addComment } from "@/lib/tickets/add-comment";
import { createTicket } from "@/lib/tickets/create-ticket";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { addWatcher, addWatchers } from "@/lib/tickets/watchers";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { useTestDb } from "../helpers/db";
import { idOf, lastEventId, outbox, person, runHandlers, type Person } from "./notify-helpers";

const t = useTestDb();
let agent: Person, agent2: Person, alice: Person;
let cursor = 0;
const H = [mailNotifyJob];

beforeAll(async () => {
  agent = await person(t.db, "agent@corp.test", "agent", "service-desk");
  agent2 = await person(t.db, "agent2@corp.test", "agent", "identity-access");
  alice = await person(t.db, "alice@corp.test", "requester");
});

/** Run mail.notify over the events since the last call. */
const drain = async () => {
  cursor = await runHandlers(t.db, H, cursor);
};

async function aliceTicket(title = "VPN drops every ten minutes") {
  const { ticket } = await createTicket(
    t.db,
    { title, description: "Since this morning the VPN client disconnects every ten minutes.", email: alice.email, team: "infrastructure" },
    { principal: alice.principal, defaultSource: "web" },
  );
  return { key: ticket.key, id: idOf(ticket.key) };
}

it("a new ticket: the requester gets ticket_received with the key; a redelivered job mails nobody twice", async () => {
  cursor = await lastEventId(t.db);
  const tk = await aliceTicket();
  await drain();
  const mails = await outbox(t.db, tk.id, "mail.notify");
  expect(mails.map((m) => [m.kind, m.to_address])).toEqual([["ticket_received", alice.email]]);
  const m = mails[0];
  expect(m.subject).toBe(`[${tk.key}] We received your request: VPN drops every ten minutes`);
  expect(m.text_body).toContain(tk.key);
  expect(m.text_body).toMatch(new RegExp(`https?://[^\\s]+/requests/${tk.key}\\b`));
  expect(m.html_body).toContain("<html");
  expect(m.status).toBe("outbox");

  // Redelivery: the receipt skips it; a run without the receipt (e.g. a crash) writes no second row.
  expect(await runEventJob(t.db, mailNotifyJob, { eventId: m.event_id! })).toBe("skipped");
  await t.db.transaction(async (tx) => mailNotifyJob.run((await getEvent(tx, m.event_id!))!, { tx }));
  expect(await outbox(t.db, tk.id, "mail.notify")).toHaveLength(1);
});

it("a ticket filed while signed out gets no ticket_received (its confirmation mail comes from mail.requester-confirmation)", async () => {
  cursor = await lastEventId(t.db);
  const { ticket } = await createTicket(
    t.db,
    { title: "Printer jams on floor 2", description: "The printer on floor 2 jams on every page since Monday.", email: "bob@corp.test" },
    { principal: null, defaultSource: "web" },
  );
  expect(ticket.requesterVerified).toBe(false);
  await drain();
  expect(await outbox(t.db, idOf(ticket.key), "mail.notify")).toEqual([]);
});

it("an agent's public reply goes to the requester and the watchers (not its author); an internal note goes to nobody", async () => {
  const tk = await aliceTicket("Shared drive is read-only");
  await addWatcher(t.db, tk.key, "Carol@Partner.test", agent.principal);
  await addWatchers(t.db, tk.id, [agent.email, alice.email, "not an address"], null); // the requester and junk are skipped
  cursor = await lastEventId(t.db);

  const body = "Hello Alice,\nplease try to reconnect the drive.\n\n<b>Thanks</b>";
  await addComment(t.db, tk.key, { body, internal: false }, agent.principal);
  await addComment(t.db, tk.key, { body: "SECRET internal: the NAS is failing", internal: true }, agent.principal);
  await drain();

  const mails = await outbox(t.db, tk.id, "mail.notify");
  const later = mails.filter((m) => m.kind !== "ticket_received");
  expect(later.map((m) => [m.kind, m.to_address]).sort()).toEqual([
    ["agent_reply", alice.email],
    ["watcher_message", "carol@partner.test"],
  ]);
  const reply = later.find((m) => m.kind === "agent_reply")!;
  expect(reply.subject).toBe(`[${tk.key}] Re: Shared drive is read-only`);
  expect(reply.text_body).toContain("Hello Alice,\nplease try to reconnect the drive.\n\n<b>Thanks</b>");
  expect(reply.html_body).toContain("&lt;b&gt;Thanks&lt;/b&gt;");
  expect(reply.html_body).toContain("unsubscribe");
  // Nothing of the internal note reached any mail.
  const all = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM mail_outbox WHERE text_body LIKE '%SECRET internal%' OR html_body LIKE '%SECRET internal%' OR subject LIKE '%SECRET%'`);
  expect(all[0].n).toBe(0);
  const noteEvent = await rows<{ id: number }>(t.db, sql`SELECT id::float8 AS id FROM domain_events WHERE type = 'comment.added' AND ticket_id = ${tk.id} AND (payload->>'internal')::boolean`);
  expect(noteEvent).toHaveLength(1);
  expect(mailNotifyJob.filter!((await getEvent(t.db, noteEvent[0].id))!)).toBe(false);
  // Even if the job ran for it with a payload claiming otherwise, the stored comment says internal: no mail.
  await t.db.transaction(async (tx) => {
    const e = (await getEvent(tx, noteEvent[0].id))!;
    await mailNotifyJob.run({ ...e, payload: { ...e.payload, internal: false } }, { tx });
  });
  expect(await rows(t.db, sql`SELECT id FROM mail_outbox WHERE event_id = ${noteEvent[0].id}`)).toEqual([]);

  // A requester's reply: the watchers (agent watcher included, with the desk link) hear of it, the requester does not.
  cursor = await lastEventId(t.db);
  await addComment(t.db, tk.key, { body: "Reconnected, still read-only.", internal: false }, alice.principal);
  await drain();
  const fromAlice = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.text_body.includes("still read-only"));
  expect(fromAlice.map((m) => [m.kind, m.to_address]).sort()).toEqual([
    ["watcher_message", agent.email],
    ["watcher_message", "carol@partner.test"],
  ]);
  expect(fromAlice.find((m) => m.to_address === agent.email)!.text_body).toMatch(new RegExp(`/tickets/${tk.key}\\b`));

  // The agent watcher's own reply does not come back to them.
  cursor = await lastEventId(t.db);
  await addComment(t.db, tk.key, { body: "Checking the share permissions now.", internal: false }, agent.principal);
  await drain();
  const own = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.text_body.includes("Checking the share permissions"));
  expect(own.map((m) => m.to_address).sort()).toEqual([alice.email, "carol@partner.test"]);
});

it("status changes: waiting on the requester, resolved (with the reopen link), reopened by the requester's reply", async () => {
  const tk = await aliceTicket("Outlook asks for the password again and again");
  await addComment(t.db, tk.key, { body: "Which Outlook version do you use?", internal: false }, agent.principal);
  cursor = await lastEventId(t.db);
  await updateTicket(t.db, tk.key, { status: "waiting", waitingReason: "requester" }, agent.principal);
  await drain();
  let kinds = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.kind === "waiting_on_you");
  expect(kinds).toHaveLength(1);
  expect(kinds[0].subject).toBe(`[${tk.key}] Waiting on you: Outlook asks for the password again and again`);
  expect(kinds[0].text_body).toContain("Which Outlook version do you use?");

  // Waiting on a third party tells the requester nothing.
  await updateTicket(t.db, tk.key, { status: "waiting", waitingReason: "third_party" }, agent.principal);
  await drain();
  expect((await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.kind === "waiting_on_you")).toHaveLength(1);

  await updateTicket(t.db, tk.key, { status: "resolved", resolution: "Reset the credential manager entry." }, agent.principal);
  await drain();
  const resolved = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.kind === "resolved");
  expect(resolved).toHaveLength(1);
  expect(resolved[0].to_address).toBe(alice.email);
  expect(resolved[0].subject).toBe(`[${tk.key}] Resolved: Outlook asks for the password again and again`);
  expect(resolved[0].text_body).toContain("Reset the credential manager entry.");
  expect(resolved[0].text_body).toMatch(new RegExp(`Reopen: https?://[^\\s]+/requests/${tk.key}\\b`));

  await addComment(t.db, tk.key, { body: "It came back after the reboot.", internal: false }, alice.principal);
  await drain();
  const reopened = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.kind === "reopened");
  expect(reopened.map((m) => [m.to_address, m.subject])).toEqual([[alice.email, `[${tk.key}] Reopened: Outlook asks for the password again and again`]]);
});

it("assignment: the assignee gets `assigned` when someone else assigns; taking a ticket yourself mails nobody", async () => {
  const tk = await aliceTicket("New laptop for a new hire");
  cursor = await lastEventId(t.db);
  await updateTicket(t.db, tk.key, { assignee: agent2.id }, agent.principal);
  await drain();
  let assigned = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.kind === "assigned");
  expect(assigned.map((m) => [m.to_address, m.subject])).toEqual([[agent2.email, `[${tk.key}] Assigned to you: New laptop for a new hire`]]);
  expect(assigned[0].text_body).toContain(`by ${agent.principal.label}`);
  expect(assigned[0].text_body).toMatch(new RegExp(`/tickets/${tk.key}\\b`));

  await updateTicket(t.db, tk.key, { assignee: agent.id }, agent.principal); // take
  await drain();
  assigned = (await outbox(t.db, tk.id, "mail.notify")).filter((m) => m.kind === "assigned");
  expect(assigned).toHaveLength(1);
});

it("a team that assigns manually: its active members (not the agent who filed it) get team_new_ticket for an unassigned ticket", async () => {
  await t.db.update(teams).set({ assignmentMode: "manual" }).where(eq(teams.slug, "service-desk"));
  invalidateReferenceData();
  const colleague = await person(t.db, "sd.colleague@corp.test", "agent", "service-desk");
  await person(t.db, "sd.requester@corp.test", "requester", "service-desk"); // not staff: no mail
  cursor = await lastEventId(t.db);
  const { ticket } = await createTicket(
    t.db,
    { title: "Keyboard missing keys", description: "Two keys fell off my keyboard, I need a new one.", email: alice.email, team: "service-desk" },
    { principal: agent.principal, defaultSource: "web" },
  );
  await drain();
  const team = (await outbox(t.db, idOf(ticket.key), "mail.notify")).filter((m) => m.kind === "team_new_ticket");
  expect(team.map((m) => m.to_address)).toEqual([colleague.email]);
  expect(team[0].subject).toMatch(new RegExp(`^\\[${ticket.key}\\] New ticket for .+: Keyboard missing keys$`));
  expect(team[0].text_body).toContain("Two keys fell off my keyboard");

  // Re-routed to the manual team without an assignee: the team hears of it again; with an assignee it does not.
  const other = await aliceTicket("Monitor flickers");
  cursor = await lastEventId(t.db);
  await updateTicket(t.db, other.key, { team: "service-desk" }, agent2.principal);
  await drain();
  const rerouted = (await outbox(t.db, other.id, "mail.notify")).filter((m) => m.kind === "team_new_ticket");
  expect(rerouted.map((m) => m.to_address).sort()).toEqual([agent.email, colleague.email].sort());
  await t.db.update(teams).set({ assignmentMode: "auto" }).where(eq(teams.slug, "service-desk"));
  invalidateReferenceData();
});
