import { afterAll, describe, expect, it } from "vitest";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import * as categoriesRoute from "@/app/api/categories/route";
import { resetLearning, startLearning, syncCorrections } from "@/lib/triage/learning";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
afterAll(() => resetLearning());

const facilitiesTickets = [
  ["Air conditioning broken in meeting room 3", "The air conditioning in meeting room 3 is blowing warm air and the room is unbearable"],
  ["Heating not working on floor 2", "The radiators on the second floor are cold, the heating seems to be off"],
  ["Office too hot", "The air conditioning unit above my desk is broken, it is 30 degrees in the office"],
  ["Broken office chair", "My office chair is broken, the height lever does not work, please replace the chair"],
  ["Light bulb out in corridor", "The ceiling lights in the corridor near the kitchen are out, please replace the bulbs"],
  ["Leaking tap in kitchen", "The tap in the third floor kitchen is leaking water onto the floor"],
];

describe("learning from agents' corrections", () => {
  it("learns a category created by an admin from corrections alone and predicts it for a similar new ticket", async () => {
    const admin = await makeActor(t.db, "admin@corp.test", "admin");
    const agent = await makeActor(t.db, "agent@corp.test", "agent");
    await startLearning(t.db);
    const probe = { title: "AC not working", description: "The air conditioning in meeting room 5 is broken and it is far too hot in there" };

    const before = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(before.body.category).not.toBe("facilities");

    const created = await call(categoriesRoute.POST, {
      path: "/api/categories",
      key: admin.key,
      body: { slug: "facilities", name: "Facilities", description: "Building, heating, air conditioning, furniture", team: "service-desk" },
    });
    expect(created.status).toBe(201);

    const predictedOnArrival: string[] = [];
    for (const [title, description] of facilitiesTickets) {
      const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title, description, email: "emp@corp.test" } });
      predictedOnArrival.push(res.body.ticket.category);
      const key = res.body.ticket.key;
      const p = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { category: "facilities" } });
      expect(p.status).toBe(200);
    }

    // the first arrived before any correction; later ones may already benefit from the earlier corrections
    expect(predictedOnArrival[0]).not.toBe("facilities");
    const after = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(after.body.category).toBe("facilities");
    expect(after.body.team).toBe("service-desk");

    // ordinary tickets keep their categories
    const vpn = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { description: "my password expired and I am locked out of my account" } });
    expect(vpn.body.category).toBe("access");

    // another process (fresh memory) learns the same from the database
    resetLearning();
    const forgot = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(forgot.body.category).not.toBe("facilities");
    const corrected = predictedOnArrival.filter((c) => c !== "facilities").length;
    expect(await syncCorrections(t.db)).toBe(corrected);
    const relearned = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(relearned.body.category).toBe("facilities");
    expect(await syncCorrections(t.db)).toBe(0);
  });
});
