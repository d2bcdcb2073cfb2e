import { afterAll, describe, expect, it } from "vitest";
import * as categoriesRoute from "@/app/api/categories/route";
import * as examplesRoute from "@/app/api/categories/[slug]/examples/route";
import * as exampleRoute from "@/app/api/categories/[slug]/examples/[id]/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { NETWORK_VPN_CATEGORY, seedNetworkVpnCategory } from "@/lib/demo/network-vpn";
import { resetLearning, syncCorrections } from "@/lib/triage/learning";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
afterAll(() => resetLearning());

const facilities = [
  { title: "Air conditioning broken", description: "The air conditioning in meeting room 3 is blowing warm air, the room is far too hot" },
  { title: "Heating off", description: "The radiators on the second floor are cold, the heating seems to be off" },
  { description: "My office chair is broken, the height lever does not work, please replace the chair" },
  { title: "Light out", description: "The ceiling lights in the corridor near the kitchen are out, please replace the bulbs" },
  { title: "Leaking tap", description: "The tap in the third floor kitchen is leaking water onto the floor" },
];
const probe = { title: "AC not working", description: "The air conditioning in meeting room 5 is broken and it is far too hot in there" };
const ticket9 = { title: "VPN down for the whole team", description: "VPN is down for the whole team of 8 people since 9am, nobody can work from home." };

describe("category examples (admin API) and learning them", () => {
  it("creates a category with examples, lists/adds/deletes them, refuses bad input, and every instance learns them", async () => {
    const admin = await makeActor(t.db, "admin@corp.test", "admin");
    const agent = await makeActor(t.db, "agent@corp.test", "agent");
    resetLearning();
    expect(await syncCorrections(t.db)).toBe(0); // this "instance" is positioned in the event stream

    const before = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(before.body.category).not.toBe("facilities");

    const bad = await call(categoriesRoute.POST, {
      path: "/api/categories",
      key: admin.key,
      body: { slug: "facilities", name: "Facilities", team: "service-desk", examples: [{ title: "x" }] },
    });
    expect(bad.status).toBe(400);
    const tooMany = await call(categoriesRoute.POST, {
      path: "/api/categories",
      key: admin.key,
      body: { slug: "facilities", name: "Facilities", team: "service-desk", examples: Array.from({ length: 51 }, () => ({ description: "the heating is broken" })) },
    });
    expect(tooMany.status).toBe(400);
    const forbidden = await call(categoriesRoute.POST, {
      path: "/api/categories",
      key: agent.key,
      body: { slug: "facilities", name: "Facilities", team: "service-desk", examples: facilities.slice(0, 1) },
    });
    expect(forbidden.status).toBe(403);

    const created = await call(categoriesRoute.POST, {
      path: "/api/categories",
      key: admin.key,
      body: { slug: "facilities", name: "Facilities", description: "Building, heating, air conditioning, furniture", team: "service-desk", examples: facilities.slice(0, 4) },
    });
    expect(created.status).toBe(201);
    expect(created.body.examples).toHaveLength(4);
    expect(created.body.examples[2]).toMatchObject({ category: "facilities", title: "" });

    const added = await call(examplesRoute.POST, { path: "/api/categories/facilities/examples", key: admin.key, params: { slug: "facilities" }, body: facilities[4] });
    expect(added.status).toBe(201);
    expect(added.body.items).toHaveLength(1);
    const batch = await call(examplesRoute.POST, {
      path: "/api/categories/facilities/examples",
      key: admin.key,
      params: { slug: "facilities" },
      body: { examples: [{ title: "Door broken", description: "The entrance door badge reader does not open the door" }] },
    });
    expect(batch.status).toBe(201);
    expect((await call(examplesRoute.POST, { path: "/api/categories/nope/examples", key: admin.key, params: { slug: "nope" }, body: facilities[0] })).status).toBe(404);
    expect((await call(examplesRoute.POST, { path: "/api/categories/facilities/examples", key: admin.key, params: { slug: "facilities" }, body: { description: "" } })).status).toBe(400);
    expect((await call(examplesRoute.POST, { path: "/api/categories/facilities/examples", key: agent.key, params: { slug: "facilities" }, body: facilities[0] })).status).toBe(403);

    const list = await call(examplesRoute.GET, { path: "/api/categories/facilities/examples", key: admin.key, params: { slug: "facilities" } });
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { description: string }) => e.description).slice(0, 5)).toEqual(facilities.map((f) => f.description));
    expect((await call(examplesRoute.GET, { path: "/api/categories/nope/examples", key: admin.key, params: { slug: "nope" } })).status).toBe(404);

    const doomed = batch.body.items[0].id;
    const del = await call(exampleRoute.DELETE, { method: "DELETE", path: `/api/categories/facilities/examples/${doomed}`, key: admin.key, params: { slug: "facilities", id: String(doomed) } });
    expect(del.status).toBe(200);
    expect((await call(exampleRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: { slug: "facilities", id: String(doomed) } })).status).toBe(404);
    expect((await call(exampleRoute.DELETE, { method: "DELETE", path: "/x", key: admin.key, params: { slug: "facilities", id: "abc" } })).status).toBe(404);
    expect((await call(exampleRoute.DELETE, { method: "DELETE", path: "/x", key: agent.key, params: { slug: "facilities", id: "1" } })).status).toBe(403);

    // the event tail: this instance learns the 6 examples added since it positioned itself.
    // The tail reads only events below the cluster's oldest running transaction, which another
    // test file's transaction on the same PostgreSQL can hold back for a moment: poll, as the
    // 10 s background sync does.
    let learned = 0;
    for (const deadline = Date.now() + 30_000; learned < 6 && Date.now() < deadline; ) {
      learned += await syncCorrections(t.db);
      if (learned < 6) await new Promise((r) => setTimeout(r, 200));
    }
    expect(learned).toBe(6);
    const after = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(after.body.category).toBe("facilities");
    const access = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { description: "my password expired and I am locked out of my account" } });
    expect(access.body.category).toBe("access");
    expect(await syncCorrections(t.db)).toBe(0);

    // another instance (fresh memory) replays the 5 stored examples (the deleted one is gone)
    resetLearning();
    expect((await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe })).body.category).not.toBe("facilities");
    expect(await syncCorrections(t.db)).toBe(5);
    expect((await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe })).body.category).toBe("facilities");
  });

  it("the demo's Network & VPN category, taught through this path, takes issue ticket 9", async () => {
    const agent = await makeActor(t.db, "agent2@corp.test", "agent");
    resetLearning();
    expect(await seedNetworkVpnCategory(t.db)).toBe(true);
    expect(await seedNetworkVpnCategory(t.db)).toBe(false);
    expect(await syncCorrections(t.db)).toBeGreaterThanOrEqual(6);
    const res = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: ticket9 });
    expect(res.body.category).toBe(NETWORK_VPN_CATEGORY.slug);
    expect(res.body.team).toBe("infrastructure");
    // ordinary tickets keep their categories
    const printer = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { title: "Broken laptop screen", description: "My laptop screen is cracked and flickering" } });
    expect(printer.body.category).toBe("hardware");
  });
});
