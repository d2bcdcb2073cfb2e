import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { autoAssign } from "@/lib/routing/assign/auto-assign";
import { useTestDb } from "../helpers/db";
import { addPerson, fileTicket, giveLoad } from "./assign-helpers";

const t = useTestDb();

/*
 * Capacity under concurrent assignment (issue #8 §5): tickets assigned at the same time never
 * push a person over max_open_tickets. On PostgreSQL each autoAssign runs on its own pooled
 * connection, truly in parallel; the per-team advisory lock serialises the choice.
 */
it(`two tickets at once with one slot left on the best person: one goes to them, the other elsewhere`, async () => {
  const db = t.db;
  const best = await addPerson(db, { email: "best@corp.test", team: "service-desk", skills: ["VPN", "Cisco AnyConnect", "remote access"], max: 3 });
  await addPerson(db, { email: "second@corp.test", team: "service-desk", skills: ["VPN"], max: 5 });
  await giveLoad(db, best.userId, "service-desk", 2);
  const a = await fileTicket(db, "VPN down", "Cisco AnyConnect remote access fails from home", "service-desk");
  const b = await fileTicket(db, "VPN broken too", "remote access over Cisco AnyConnect keeps failing", "service-desk");

  const results = await Promise.all([autoAssign(db, a.id, { rerank: false }), autoAssign(db, b.id, { rerank: false })]);
  expect(results.map((r) => r.status)).toEqual(["assigned", "assigned"]);
  const who = results.map((r) => (r.status === "assigned" ? r.assignee.email : null)).sort();
  expect(who).toEqual(["best@corp.test", "second@corp.test"]);
  const [load] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM tickets WHERE assignee_id = ${best.userId} AND status IN ('new', 'open', 'in_progress')`);
  expect(load.n).toBe(3);
});

it("eight tickets at once over three people with 1, 2 and 2 free slots: five assigned, nobody over their maximum, three left unassigned", async () => {
  const db = t.db;
  const people = [
    await addPerson(db, { email: "p1@corp.test", team: "procurement", skills: ["software licences", "Adobe"], max: 1 }),
    await addPerson(db, { email: "p2@corp.test", team: "procurement", skills: ["software licences"], max: 3 }),
    await addPerson(db, { email: "p3@corp.test", team: "procurement", skills: ["Adobe"], max: 2 }),
  ];
  await giveLoad(db, people[1].userId, "procurement", 1);
  const tickets = [];
  for (let i = 0; i < 8; i++) tickets.push(await fileTicket(db, `Adobe licence ${i}`, `I need an Adobe software licence for Acrobat, seat ${i}`, "procurement"));
  const results = await Promise.all(tickets.map((tk) => autoAssign(db, tk.id, { rerank: false })));
  expect(results.filter((r) => r.status === "assigned")).toHaveLength(5);
  expect(results.filter((r) => r.status === "unassigned")).toHaveLength(3);
  const loads = await rows<{ email: string; n: number; max: number }>(
    db,
    sql`SELECT e.email, e.max_open_tickets AS max,
          (SELECT count(*) FROM tickets t WHERE t.assignee_id = e.user_id AND t.status IN ('new', 'open', 'in_progress'))::int AS n
        FROM employees e WHERE e.team_slug = 'procurement' ORDER BY e.email`,
  );
  expect(loads.map((l) => [l.email, l.n])).toEqual([["p1@corp.test", 1], ["p2@corp.test", 3], ["p3@corp.test", 2]]);
});
