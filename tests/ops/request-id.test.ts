import http from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { runEventJob } from "@/lib/jobs/run-job";
import type { JobHandler } from "@/lib/jobs/registry";
import { logger } from "@/lib/observability/logger";
import { currentRequestId, withRequestId } from "@/lib/observability/request-context";
import { send } from "@/lib/routing/push/deliver";
import * as ticketsRoute from "@/app/api/tickets/route";
import { routingPlanPushes, routingPush } from "@/lib/jobs/handlers/routing-push";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { startFakeWebhookReceiver } from "../fakes/webhook-receiver";
import { insertTarget, pushesOf, until } from "../routing/push-helpers";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * One request id follows the work: the HTTP request (X-Request-Id in, echoed out) → the domain
 * events it emits (domain_events.request_id) → the jobs run for them → the calls they make out
 * (X-Request-Id header), checked against a loopback fake target.
 */
const testDb = useTestDb();
const seen: (string | undefined)[] = [];
let fake: http.Server;
let fakeUrl = "";

beforeAll(async () => {
  fake = http.createServer((req, res) => {
    seen.push(req.headers["x-request-id"] as string | undefined);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}/hook`;
});
afterAll(() => new Promise<void>((r) => fake.close(() => r())));

describe("request id", () => {
  it("is taken from a sane X-Request-Id, echoed, stored on the events, restored in their jobs and sent on outgoing calls", async () => {
    const a = await makeActor(testDb.db, "rid@corp.test", "requester");
    const res = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: a.key,
      headers: { "X-Request-Id": "req-abc.123" },
      body: { email: a.email, title: "Teams camera not detected", description: "The camera works in other apps but Teams says no camera found" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("X-Request-Id")).toBe("req-abc.123");
    const [ev] = await rows<{ id: number; request_id: string | null }>(testDb.db, sql`SELECT id::int AS id, request_id FROM domain_events WHERE type = 'ticket.created' ORDER BY id DESC LIMIT 1`);
    expect(ev.request_id).toBe("req-abc.123");

    let inJob: string | undefined;
    const handler: JobHandler = {
      name: "test.request-id",
      events: ["ticket.created"],
      run: async () => {
        inJob = currentRequestId();
        await send({ method: "POST", url: fakeUrl, headers: { "content-type": "application/json" }, body: "{}" }, {}, "webhook");
      },
    };
    expect(await runEventJob(testDb.db, handler, { eventId: ev.id })).toBe("done");
    expect(inJob).toBe("req-abc.123");
    expect(seen.at(-1)).toBe("req-abc.123");
    // The dispatcher copies the id into the job's data; the job then trusts it (null: none).
    const again = { ...handler, name: "test.request-id-2" };
    expect(await runEventJob(testDb.db, again, { eventId: ev.id, requestId: "from-data" })).toBe("done");
    expect(inJob).toBe("from-data");
    const third = { ...handler, name: "test.request-id-3" };
    expect(await runEventJob(testDb.db, third, { eventId: ev.id, requestId: null })).toBe("done");
    expect(inJob).toBe(`job:test.request-id-3:${ev.id}`);
  });

  it("replaces an insane incoming id with a UUID, and jobs of events without one get a job-scoped id", async () => {
    const a = await makeActor(testDb.db, "rid2@corp.test", "requester");
    const res = await call(ticketsRoute.GET, { path: "/api/tickets", key: a.key, headers: { "X-Request-Id": "bad id <script>" } });
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const [ev] = await rows<{ id: number }>(testDb.db, sql`INSERT INTO domain_events (type, ticket_id, actor, payload) VALUES ('category.example_added', NULL, NULL, '{}') RETURNING id::int AS id`);
    let inJob: string | undefined;
    await runEventJob(testDb.db, { name: "test.no-request-id", events: ["category.example_added"], run: async () => void (inJob = currentRequestId()) }, { eventId: ev.id });
    expect(inJob).toBe(`job:test.no-request-id:${ev.id}`);
    // Outside any request or job no header is invented.
    await send({ method: "POST", url: fakeUrl, headers: {}, body: "{}" }, {}, "webhook");
    expect(seen.at(-1)).toBeUndefined();
    await withRequestId("outer-1", () => send({ method: "POST", url: fakeUrl, headers: {}, body: "{}" }, {}, "webhook"));
    expect(seen.at(-1)).toBe("outer-1");
  });

  it("travels from the API request through the push planning job and the push task to the webhook target", async () => {
    const hook = await startFakeWebhookReceiver("whsec_rid");
    let key = "";
    try {
      await insertTarget(testDb.db, { name: "EUC hook (request id)", kind: "webhook", url: `${hook.url}/in`, secret: "whsec_rid" });
      const agent = await makeActor(testDb.db, "rid-agent@corp.test", "agent", { teamSlug: "end-user-computing" });
      const workers = await startWorkers([routingPlanPushes], [routingPush]);
      try {
        const res = await call(ticketsRoute.POST, {
          path: "/api/tickets",
          key: agent.key,
          headers: { "X-Request-Id": "abc" },
          body: { email: "carol@corp.test", title: "Docking station not detected", description: "The USB-C dock is not detected since the update", category: "hardware", priority: "P2" },
        });
        expect(res.status).toBe(201);
        workers!.nudge();
        const pushes = await until(() => pushesOf(testDb.db, res.body.ticket.key), (p) => p.length === 1 && p[0].status === "done");
        expect(pushes.map((p) => p.status)).toEqual(["done"]);
        key = res.body.ticket.key;
        const planJobs = await rows<{ rid: string | null }>(
          testDb.db,
          sql`SELECT j.data->>'requestId' AS rid FROM pgboss.job j JOIN domain_events e ON e.id = (j.data->>'eventId')::bigint
              WHERE j.name = ${routingPlanPushes.name} AND e.ticket_id = (SELECT id FROM tickets WHERE key = ${key})`,
        );
        expect(planJobs.map((j) => j.rid)).toEqual(["abc"]);
      } finally {
        await stopWorkers();
      }
      // (Tickets filed by the tests above may be pushed too, each under its own request id.)
      const ours = hook.deliveries.filter((d) => (d.body.ticket as { key: string }).key === key);
      expect(ours).toHaveLength(1);
      expect(ours[0].headers["x-request-id"]).toBe("abc");
    } finally {
      await hook.close();
    }
  }, 120_000);

  it("is on every log line written inside a request or job (logger mixin), and absent outside", () => {
    const mixin = (logger as unknown as Record<symbol, () => Record<string, unknown>>)[pino.symbols.mixinSym];
    expect(withRequestId("abc", () => mixin())).toEqual({ requestId: "abc" });
    expect(mixin()).toEqual({});
  });
});
