import { expect, it } from "vitest";
import { assignTicketJob } from "@/lib/jobs/handlers/assign";
import { mailNotifyJob } from "@/lib/mail/notify";
import { useTestDb } from "../helpers/db";
import { addPerson, fileTicket } from "../routing/assign-helpers";
import { lastEventId, outbox, person, runHandlers } from "./notify-helpers";

const t = useTestDb();
const H = [assignTicketJob, mailNotifyJob];

it("auto-assignment: the assignee gets one `assigned` mail (from routing.assign, with the reason), not a second from mail.notify", async () => {
  await addPerson(t.db, { email: "printer.pro@corp.test", name: "Pat Printer", team: "end-user-computing", skills: ["printers", "toner"] });
  const from = await lastEventId(t.db);
  const tk = await fileTicket(t.db, "Printer out of toner", "The printer on floor 3 says toner empty and prints nothing", "end-user-computing");
  await runHandlers(t.db, H, from);
  const mails = await outbox(t.db, tk.id);
  const assigned = mails.filter((m) => m.kind === "assigned");
  expect(assigned.map((m) => [m.handler, m.to_address, m.subject])).toEqual([["routing.assign", "printer.pro@corp.test", `[${tk.key}] Assigned to you: Printer out of toner`]]);
  expect(assigned[0].text_body).toContain("Why you: matched: printers, toner");
  expect(assigned[0].html_body).toContain("Pat Printer");
  // Nobody was left unassigned: no team mail.
  expect(mails.filter((m) => m.kind === "team_new_ticket")).toEqual([]);
});

it("an auto-assigning team whose members are all at capacity: routing.assign mails the team that nobody was assigned", async () => {
  await addPerson(t.db, { email: "busy.one@corp.test", team: "procurement", skills: ["licences"], max: 0 });
  const lead = await person(t.db, "procurement.lead@corp.test", "agent", "procurement"); // a member without a profile still hears of it
  const from = await lastEventId(t.db);
  const tk = await fileTicket(t.db, "Buy ten Adobe licences", "We need ten more Adobe Acrobat licences for the finance team", "procurement");
  await runHandlers(t.db, H, from);
  const team = (await outbox(t.db, tk.id)).filter((m) => m.kind === "team_new_ticket");
  expect(team.map((m) => [m.handler, m.to_address]).sort()).toEqual([
    ["routing.assign", "busy.one@corp.test"],
    ["routing.assign", lead.email],
  ]);
  expect(team[0].subject).toBe(`[${tk.key}] New ticket for Procurement: Buy ten Adobe licences`);
  // Redelivery (the job is restartable): no second round.
  await runHandlers(t.db, H, from);
  expect((await outbox(t.db, tk.id)).filter((m) => m.kind === "team_new_ticket")).toHaveLength(2);
});
