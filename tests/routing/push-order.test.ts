import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { routingPlanPushes, routingPush } from "@/lib/jobs/handlers/routing-push";
import { startWorkers, stopWorkers, type Workers } from "@/lib/jobs/worker";
import { addComment } from "@/lib/tickets/add-comment";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/webhook-receiver";
import { useTestDb } from "../helpers/db";
import { agentPrincipal, fileTicket, insertTarget, pushesOf, until } from "./push-helpers";

/**
 * A busy ticket: replies in quick succession to a slow target whose retry delay is a minute. Each
 * push waits for the one before it (event order); the one that settles resumes the next at once
 * (lib/routing/push/handoff.ts), so the replies arrive in order within seconds instead of one per
 * doubling retry delay, and none uses up its retries waiting.
 */
const t = useTestDb();
let hook: FakeWebhookReceiver;
let workers: Workers | null;
let agent: Principal;

beforeAll(async () => {
  hook = await startFakeWebhookReceiver("whsec_order", undefined, { holdMs: 250 });
  await insertTarget(t.db, { name: "Order hook", kind: "webhook", url: `${hook.url}/in`, secret: "whsec_order", retryLimit: 3, retryDelayS: 60 });
  agent = await agentPrincipal(t.db);
  workers = await startWorkers([routingPlanPushes], [routingPush]);
}, 120_000);

afterAll(async () => {
  await stopWorkers();
  await hook?.close();
});

describe("pushes of one ticket to one target", () => {
  it("six quick replies to a slow target arrive in order within seconds; each waiting push is resumed, none goes dead", async () => {
    const ticket = await fileTicket(t.db);
    const replies = Array.from({ length: 6 }, (_, i) => `Reply ${i + 1} on the dock`);
    for (const body of replies) await addComment(t.db, ticket.key, { body, internal: false }, agent);
    workers!.nudge();

    // A retry delay of 60 s (doubling) would hold the second reply for a minute and the sixth for many.
    // (The first reply also moves the ticket to In progress: one status update among the replies.)
    const pushes = await until(() => pushesOf(t.db, ticket.key), (p) => p.filter((x) => x.action === "comment").length === 6 && p.every((x) => x.status !== "pending"), 40_000);
    expect(pushes.map((p) => p.status).every((s) => s === "done")).toBe(true);
    expect(pushes.map((p) => p.action).filter((a) => a !== "update")).toEqual(["create", ...replies.map(() => "comment")]);
    // Delivered in event order (push ids follow planning order, which may differ).
    const byEvent = await rows<{ type: string }>(t.db, sql`SELECT e.type FROM external_pushes p JOIN domain_events e ON e.id = p.event_id JOIN tickets k ON k.id = p.ticket_id WHERE k.key = ${ticket.key} ORDER BY e.id`);
    expect(hook.deliveries.map((d) => d.body.event)).toEqual(byEvent.map((e) => e.type));
    expect(hook.deliveries.filter((d) => d.body.event === "comment.added").map((d) => (d.body.comment as { body: string }).body)).toEqual(replies);

    // The path under test ran: some push found an earlier one in flight and waited (pg-boss counted a retry).
    const [w] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'routing.push' AND retry_count > 0
          AND singleton_key IN (SELECT 'push:' || p.id FROM external_pushes p JOIN tickets k ON k.id = p.ticket_id WHERE k.key = ${ticket.key})`,
    );
    expect(w.n).toBeGreaterThan(0);
  }, 60_000);
});
