import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as classifyRoute from "@/app/api/tickets/classify/route";
import { resetSimilarIndex } from "@/lib/triage/similar";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();

describe("similar tickets", () => {
  it("stores each ticket's embedding and returns the closest existing tickets from classify", async () => {
    const agent = await makeActor(t.db, "agent@corp.test", "agent");
    const alice = await makeActor(t.db, "alice@corp.test", "requester");
    const bob = await makeActor(t.db, "bob@corp.test", "requester");
    const file = async (key: string, email: string, title: string, description: string) =>
      (await call(ticketsRoute.POST, { path: "/api/tickets", key, body: { title, description, email } })).body.ticket.key as string;

    const printerBob = await file(bob.key, bob.email, "Printer paper jam", "The printer on floor 3 has a paper jam and the toner is low");
    const printerAlice = await file(alice.key, alice.email, "Printer out of toner", "Printer on the second floor says toner empty, please replace the toner");
    await file(agent.key, "carol@corp.test", "Mailbox full", "Outlook says my mailbox is full, please increase the mailbox size");
    await file(agent.key, "dan@corp.test", "New purchase PO", "Please approve the purchase order for two docking stations from the vendor");

    const [{ n, dims }] = await rows<{ n: number; dims: number }>(t.db, sql`select count(*)::int as n, max(array_length(embedding, 1))::int as dims from ticket_embeddings`);
    expect(n).toBe(4);
    expect(dims).toBe(128);

    const probe = { title: "Printer toner", description: "the printer needs new toner, it prints faded pages" };
    const asAgent = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(asAgent.status).toBe(200);
    const keys = asAgent.body.similar.map((s: { key: string }) => s.key);
    expect(keys.slice(0, 2).sort()).toEqual([printerBob, printerAlice].sort());
    for (const s of asAgent.body.similar) {
      expect(s).toMatchObject({ key: expect.stringMatching(/^T-\d+$/), title: expect.any(String), status: "new" });
      expect(s.similarity).toBeGreaterThanOrEqual(0.5);
      expect(s.similarity).toBeLessThanOrEqual(1);
    }
    const sims = asAgent.body.similar.map((s: { similarity: number }) => s.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);

    // requesters only ever see their own tickets as similar
    const asAlice = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: alice.key, body: probe });
    expect(asAlice.body.similar.map((s: { key: string }) => s.key)).toEqual([printerAlice]);

    // a fresh process loads the index from the table
    resetSimilarIndex();
    const reloaded = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: probe });
    expect(reloaded.body.similar.map((s: { key: string }) => s.key)).toEqual(keys);

    const unrelated = await call(classifyRoute.POST, { path: "/api/tickets/classify", key: agent.key, body: { description: "timesheet absence leave not saving in the hr tool" } });
    expect(unrelated.body.similar.map((s: { key: string }) => s.key)).not.toContain(printerBob);
  });
});
