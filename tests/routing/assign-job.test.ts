import { afterAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { getEvent } from "@/lib/jobs/events";
import { assignTicketJob } from "@/lib/jobs/handlers/assign";
import { runEventJob } from "@/lib/jobs/run-job";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { addPerson, assigneeOf, fileTicket } from "./assign-helpers";

const t = useTestDb();
afterAll(() => stopWorkers());

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 300 && !done(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

type Mail = { to_address: string; subject: string; text_body: string; event_id: number; ticket_id: number };
const mails = (ticketId: number) =>
  rows<Mail>(t.db, sql`SELECT to_address, subject, text_body, event_id::float8 AS event_id, ticket_id::float8 AS ticket_id FROM mail_outbox
                       WHERE handler = 'routing.assign' AND ticket_id = ${ticketId}`);

it("a created ticket is assigned by the job, and the assignee gets one mail with the reason and the link", async () => {
  const db = t.db;
  await addPerson(db, { email: "printer.pro@corp.test", name: "Pat Printer", team: "end-user-computing", skills: ["printers", "toner"] });
  await addPerson(db, { email: "mac.pro@corp.test", name: "Max Mac", team: "end-user-computing", skills: ["MacBook", "macOS"] });
  const workers = await startWorkers();
  const tk = await fileTicket(db, "Printer out of toner", "The printer on floor 3 says toner empty and prints nothing", "end-user-computing");
  workers!.nudge();

  const found = await waitFor(() => mails(tk.id), (m) => m.length > 0);
  expect(found).toHaveLength(1);
  expect(await assigneeOf(db, tk.id)).toBe("printer.pro@corp.test");
  const m = found[0];
  expect(m.to_address).toBe("printer.pro@corp.test");
  expect(m.subject).toBe(`[${tk.key}] Assigned to you: Printer out of toner`);
  expect(m.text_body).toContain("Why you: matched: printers, toner; load 0/10; in hours");
  expect(m.text_body).toMatch(new RegExp(`https?://[^\\s]+/tickets/${tk.key}\\b`));

  // Redelivery of the same event does nothing more; nor does a run repeated after a crash
  // before the receipt (the job is `long`: restartable).
  expect(await runEventJob(db, assignTicketJob, { eventId: Number(m.event_id) })).toBe("skipped");
  await assignTicketJob.run((await getEvent(db, Number(m.event_id)))!, { tx: db });
  expect(await mails(tk.id)).toHaveLength(1);
  const history = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ticket_assignments WHERE ticket_id = ${tk.id} AND assignee_id IS NOT NULL`);
  expect(history[0].n).toBe(1);
});

it("a ticket re-routed to a team (no assignee) is assigned in its new team", async () => {
  const db = t.db;
  await addPerson(db, { email: "sap.roles@corp.test", team: "identity-access", skills: ["SAP roles", "SAP authorisations"] });
  const workers = await startWorkers();
  // Procurement has no employee profiles: the job runs and leaves the ticket alone, writing nothing.
  const tk = await fileTicket(db, "No authorisation in SAP", "I need the SAP roles to release purchase orders", "procurement");
  workers!.nudge();
  const done = await waitFor(
    () => rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM job_receipts r JOIN domain_events e ON e.id = r.event_id
                                     WHERE r.handler = 'routing.assign' AND e.ticket_id = ${tk.id}`),
    (r) => r[0].n > 0,
  );
  expect(done[0].n).toBe(1);
  const recorded = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM ticket_assignments WHERE ticket_id = ${tk.id} AND details IS NOT NULL`);
  expect(recorded[0].n).toBe(0);
  expect(await assigneeOf(db, tk.id)).toBeNull();

  const agent = await makeActor(db, "router@corp.test", "agent", { teamSlug: "service-desk" });
  await updateTicket(db, tk.key, { team: "identity-access" }, { kind: "user", id: agent.id, userId: agent.id, role: "agent", email: agent.email, label: agent.email });
  workers!.nudge();
  const m = await waitFor(() => mails(tk.id), (x) => x.length > 0);
  expect(m.map((x) => x.to_address)).toEqual(["sap.roles@corp.test"]);
  expect(await assigneeOf(db, tk.id)).toBe("sap.roles@corp.test");
});

it("the job's filter: created with a team; updated only when the team changed and no assignee was set with it, however old the event", () => {
  const pgTime = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "+00");
  const ev = (type: "ticket.created" | "ticket.updated", payload: Record<string, unknown>, createdAt = pgTime(new Date())) => ({ id: 1, type, ticketId: 1, actor: null, payload, createdAt });
  const f = assignTicketJob.filter!;
  expect(f(ev("ticket.created", { team: "pmo" }))).toBe(true);
  expect(f(ev("ticket.created", { team: null }))).toBe(false);
  expect(f(ev("ticket.updated", { changes: { team: { from: "pmo", to: "procurement" } } }))).toBe(true);
  expect(f(ev("ticket.updated", { changes: { team: { from: "pmo", to: null } } }))).toBe(false);
  expect(f(ev("ticket.updated", { changes: { team: { from: "pmo", to: "procurement" }, assignee: { from: null, to: "u1" } } }))).toBe(false);
  expect(f(ev("ticket.updated", { changes: { assignee: { from: null, to: "u1" } } }))).toBe(false);
  // A backlog after a long outage is still dealt out (capacity and hours keep it fair).
  expect(f(ev("ticket.created", { team: "pmo" }, pgTime(new Date(Date.now() - 3 * 86400_000))))).toBe(true);
});
