import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as retryRoute from "@/app/api/routing/pushes/[id]/retry/route";
import { routingPlanPushes, routingPush } from "@/lib/jobs/handlers/routing-push";
import { startWorkers, stopWorkers, type Workers } from "@/lib/jobs/worker";
import { listDeadPushes } from "@/lib/routing/push/retry";
import { startFakeJira, type FakeJira } from "../../fakes/jira-server";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call } from "../../helpers/http";
import { TcpProxy } from "../../helpers/tcp-proxy";
import { insertTarget, pushesOf, until, type PushRow } from "../../routing/push-helpers";

/*
 * Fault: the Jira target is down for the whole run. Tickets routed to it (POST /api/tickets,
 * category hardware → team end-user-computing → the Jira target) get a create push each; the
 * worker retries it (the target's retryLimit/retryDelayS, lowered here as an admin would set
 * them), then it is dead (a dead letter). Jira comes back; the admin retry route puts each dead
 * push back; each ticket then has exactly one Jira issue and one external link.
 *
 * Path of a call: worker → `counter` proxy (always up; counts every connection attempt) →
 * `jiraGate` proxy (down = Jira stopped: the counter's upstream connect is refused and it cuts the
 * caller) → the fake Jira.
 */

const t = useTestDb();
const TICKETS = 5;
const RETRY_LIMIT = 3;
let jira: FakeJira;
let jiraGate: TcpProxy;
let counter: TcpProxy;
let workers: Workers | null = null;
let agent: Actor;
let admin: Actor;

beforeAll(async () => {
  jira = await startFakeJira({ basic: "bot@corp.test:cloud-token" });
  jiraGate = new TcpProxy({ host: "127.0.0.1", port: Number(new URL(jira.url).port) });
  await jiraGate.up();
  await jiraGate.down(); // Jira is down from the start: its port refuses connections.
  counter = new TcpProxy({ host: "127.0.0.1", port: jiraGate.port });
  await counter.up();
  agent = await makeActor(t.db, "push-fault-agent@corp.test", "agent", { teamSlug: "service-desk" });
  admin = await makeActor(t.db, "push-fault-admin@corp.test", "admin");
  await insertTarget(t.db, {
    name: "Down Jira",
    kind: "jira",
    url: `http://127.0.0.1:${counter.port}`,
    secret: "bot@corp.test:cloud-token",
    config: { projectKey: "DWN" },
    team: "end-user-computing",
    retryLimit: RETRY_LIMIT,
    retryDelayS: 1,
  });
  workers = await startWorkers([routingPlanPushes], [routingPush]);
}, 120_000);

afterAll(async () => {
  await stopWorkers();
  await counter?.down();
  await jiraGate?.down();
  await jira?.close();
});

async function allPushes(keys: string[]): Promise<PushRow[]> {
  return (await Promise.all(keys.map((k) => pushesOf(t.db, k)))).flat();
}

describe("Jira down for the whole run: retried, dead-lettered, retried by the admin, one issue per ticket", () => {
  it("each push is tried 1 + retryLimit times, then dead; after Jira returns and the dead letters are retried, exactly one issue and one link per ticket", async () => {
    const keys: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const res = await call<{ ticket: { key: string; team: string } }>(ticketsRoute.POST, {
        path: "/api/tickets",
        key: agent.key,
        body: {
          title: `Docking station ${i} not detected`,
          description: "The USB-C dock on my desk is not detected by the laptop since the last update",
          email: "alice@corp.test",
          category: "hardware",
          priority: "P2",
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.ticket.team).toBe("end-user-computing");
      keys.push(res.body.ticket.key);
    }
    workers!.nudge();

    // Retried, then dead (bounded poll: 4 attempts at 0, 1, 3, 7 s plus job polling).
    const dead = await until(() => allPushes(keys), (p) => p.length === TICKETS && p.every((x) => x.status === "dead"), 120_000);
    expect(dead.map((p) => p.status)).toEqual(Array(TICKETS).fill("dead"));
    for (const p of dead) {
      expect(p).toMatchObject({ target: "Down Jira", action: "create", attempts: 1 + RETRY_LIMIT });
      expect(p.last_error).toBeTruthy();
    }
    const attempts = dead.reduce((s, p) => s + p.attempts, 0);
    // Every attempt reached the counting proxy, none reached Jira.
    expect(counter.connections).toBeGreaterThanOrEqual(attempts);
    expect(jira.requests).toHaveLength(0);
    expect(jira.issues).toHaveLength(0);
    const letters = await listDeadPushes(t.db, { limit: 200 });
    expect(letters.filter((d) => keys.includes(d.ticketKey)).map((d) => d.ticketKey).sort()).toEqual([...keys].sort());
    const connectionsWhileDown = counter.connections;

    // Jira comes back; the admin retries every dead letter through the route the UI's button uses.
    await jiraGate.up();
    for (const p of dead) {
      const r = await call(retryRoute.POST, { path: `/api/routing/pushes/${p.id}/retry`, key: admin.key, params: { id: String(p.id) } });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
    }
    workers!.nudge();
    const done = await until(() => allPushes(keys), (p) => p.every((x) => x.status === "done"), 120_000);
    expect(done.map((p) => p.status)).toEqual(Array(TICKETS).fill("done"));

    // Exactly one issue per ticket at Jira (by the ticket's label), one link row per ticket.
    for (const key of keys) {
      expect(jira.issues.filter((i) => (i.fields.labels as string[]).includes(`switchboard-${key}`)), key).toHaveLength(1);
    }
    expect(jira.issues).toHaveLength(TICKETS);
    const links = await rows<{ key: string; n: number }>(
      t.db,
      sql`SELECT k.key, count(l.*)::int AS n FROM tickets k LEFT JOIN ticket_external_links l ON l.ticket_id = k.id AND l.kind = 'jira'
          WHERE k.key IN ${sql.raw(`(${keys.map((k) => `'${k}'`).join(",")})`)} GROUP BY k.key`,
    );
    expect(links.map((l) => l.n)).toEqual(Array(TICKETS).fill(1));
    expect(await listDeadPushes(t.db, { limit: 200 })).toEqual([]);
    const creates = jira.requests.filter((r) => r.method === "POST" && r.url.pathname === "/rest/api/2/issue").length;
    const lookups = jira.requests.filter((r) => r.method === "GET").length;
    console.log(
      `[faults:push] Jira down: ${TICKETS} tickets × ${1 + RETRY_LIMIT} attempts (${attempts} in all, ${connectionsWhileDown} connections refused at the proxy), ` +
        `${dead.length} dead letters; after the admin retry: ${jira.issues.length} issues (${creates} creates, ${lookups} look-ups first), ` +
        `${links.length} links, 0 duplicates; attempts after retry: ${done.map((p) => p.attempts).join(",")}`,
    );
  });
});
