import { afterAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { requesterConfirmationMail } from "@/lib/jobs/handlers/requester-confirmation-mail";
import { runEventJob } from "@/lib/jobs/run-job";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { createTicket } from "@/lib/tickets/create-ticket";
import { confirmRequester } from "@/lib/tickets/requester-confirmation";
import { useTestDb } from "../helpers/db";

const t = useTestDb();
afterAll(() => stopWorkers());

it("an anonymous web ticket gets exactly one confirmation mail whose link verifies the requester", async () => {
  const workers = await startWorkers();
  const { ticket } = await createTicket(
    t.db,
    { title: "Laptop will not boot", description: "My laptop shows a black screen after the logo since this morning", email: "bob@corp.test" },
    { principal: null, defaultSource: "web" },
  );
  expect(ticket.requesterVerified).toBe(false);
  // An API ticket (signed-in caller) or a system import is not unverified and gets no mail.
  await createTicket(t.db, { title: "Printer jam", description: "The printer on floor 2 jams on every page", email: "bob@corp.test" }, { principal: null, defaultSource: "api" });
  workers!.nudge();

  let mails: { to_address: string; subject: string; text_body: string; event_id: number }[] = [];
  for (let i = 0; i < 200 && mails.length === 0; i++) {
    mails = await rows(t.db, sql`SELECT to_address, subject, text_body, event_id::float8 AS event_id FROM mail_outbox WHERE handler = ${requesterConfirmationMail.name}`);
    if (mails.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  mails = await rows(t.db, sql`SELECT to_address, subject, text_body, event_id::float8 AS event_id FROM mail_outbox WHERE handler = ${requesterConfirmationMail.name}`);
  expect(mails).toHaveLength(1);
  expect(mails[0].to_address).toBe("bob@corp.test");
  expect(mails[0].subject).toContain(ticket.key);

  // Redelivery of the same job writes no second link or mail.
  expect(await runEventJob(t.db, requesterConfirmationMail, { eventId: Number(mails[0].event_id) })).toBe("skipped");
  const links = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM ticket_confirmations`);
  expect(links[0].n).toBe(1);

  const token = /\/confirm\/([A-Za-z0-9_-]{43})/.exec(mails[0].text_body)?.[1];
  expect(token).toBeTruthy();
  await confirmRequester(t.db, token!);
  const [v] = await rows<{ requester_verified: boolean }>(t.db, sql`SELECT requester_verified FROM tickets WHERE key = ${ticket.key}`);
  expect(v.requester_verified).toBe(true);
});
