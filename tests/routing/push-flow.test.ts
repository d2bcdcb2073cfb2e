import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { routingPlanPushes, routingPush } from "@/lib/jobs/handlers/routing-push";
import { startWorkers, stopWorkers, type Workers } from "@/lib/jobs/worker";
import { counterValue, metrics } from "@/lib/observability/metrics";
import { addComment } from "@/lib/tickets/add-comment";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { startFakeFreshservice, type FakeFreshservice } from "../fakes/freshservice-server";
import { startFakeJira, type FakeJira } from "../fakes/jira-server";
import { startFakeSlack, type FakeSlack } from "../fakes/slack-server";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/webhook-receiver";
import { useTestDb } from "../helpers/db";
import { agentPrincipal, fileTicket, insertTarget, linksOf, pushesOf, until } from "./push-helpers";

const t = useTestDb();
let jira: FakeJira;
let fs: FakeFreshservice;
let slack: FakeSlack;
let hook: FakeWebhookReceiver;
let workers: Workers | null;
let agent: Principal;

beforeAll(async () => {
  jira = await startFakeJira({ basic: "bot@corp.test:jira-token" });
  fs = await startFakeFreshservice("fs-api-key");
  slack = await startFakeSlack();
  hook = await startFakeWebhookReceiver("whsec_flow", ["X-Tenant", "acme"]);
  await insertTarget(t.db, { name: "EUC Jira", kind: "jira", url: jira.url, secret: "bot@corp.test:jira-token", config: { projectKey: "EUC" } });
  await insertTarget(t.db, { name: "EUC Freshservice", kind: "freshservice", url: fs.url, secret: "fs-api-key", config: { groupId: 7 } });
  await insertTarget(t.db, { name: "EUC Slack", kind: "slack", url: slack.hookUrl });
  await insertTarget(t.db, { name: "EUC hook", kind: "webhook", url: `${hook.url}/in`, secret: "whsec_flow", headers: { "X-Tenant": "acme" } });
  // Not pushed: P1-only Jira (the ticket is P2), an inactive Slack, a target of another team.
  await insertTarget(t.db, { name: "EUC major incidents", kind: "jira", url: jira.url, secret: "bot@corp.test:jira-token", config: { projectKey: "MAJ" }, threshold: "P1" });
  await insertTarget(t.db, { name: "EUC old Slack", kind: "slack", url: slack.hookUrl, active: false });
  await insertTarget(t.db, { name: "Infra Jira", kind: "jira", url: jira.url, secret: "bot@corp.test:jira-token", config: { projectKey: "INF" }, team: "infrastructure" });
  agent = await agentPrincipal(t.db);
  workers = await startWorkers([routingPlanPushes], [routingPush]);
}, 120_000);

afterAll(async () => {
  await stopWorkers();
  await Promise.all([jira, fs, slack, hook].map((f) => f?.close()));
});

describe("pushes to a team's external systems", () => {
  let key: string;

  it("a new ticket is pushed to each active target of its team at or above the threshold, in each system's native payload", async () => {
    const ticket = await fileTicket(t.db, { priority: "P2" });
    key = ticket.key;
    workers!.nudge();
    const pushes = await until(() => pushesOf(t.db, key), (p) => p.length === 4 && p.every((x) => x.status === "done"));
    expect(pushes.map((p) => [p.target, p.action, p.status, p.attempts]).sort()).toEqual([
      ["EUC Freshservice", "create", "done", 1],
      ["EUC Jira", "create", "done", 1],
      ["EUC Slack", "create", "done", 1],
      ["EUC hook", "create", "done", 1],
    ]);
    expect(jira.issues).toHaveLength(1);
    expect(jira.issues[0].fields).toMatchObject({ project: { key: "EUC" }, summary: `[${key}] Docking station not detected`, labels: ["switchboard", `switchboard-${key}`] });
    expect(fs.tickets).toHaveLength(1);
    expect(fs.tickets[0].body).toMatchObject({ email: "alice@corp.test", priority: 3, status: 2, group_id: 7 });
    expect(slack.messages).toHaveLength(1);
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0].body).toMatchObject({ event: "ticket.created", ticket: { key, priority: "P2", team: "End-User Computing" } });

    const links = await linksOf(t.db, key);
    expect(links).toEqual([
      { target: "EUC Freshservice", kind: "freshservice", external_id: String(fs.tickets[0].id), external_url: `${fs.url}/a/tickets/${fs.tickets[0].id}` },
      { target: "EUC Jira", kind: "jira", external_id: "EUC-1", external_url: `${jira.url}/browse/EUC-1` },
      { target: "EUC Slack", kind: "slack", external_id: null, external_url: null },
      { target: "EUC hook", kind: "webhook", external_id: "rcv-1", external_url: `${hook.url}/records/rcv-1` },
    ]);
    expect(await counterValue(metrics().pushes, { kind: "jira", outcome: "done" })).toBeGreaterThanOrEqual(1);
  });

  it("status changes and public replies follow as updates and comments; internal notes are never pushed", async () => {
    await updateTicket(t.db, key, { status: "in_progress" }, agent);
    await addComment(t.db, key, { body: "Please try the other USB-C port.", internal: false }, agent);
    await addComment(t.db, key, { body: "INTERNAL: vendor RMA 4411", internal: true }, agent);
    workers!.nudge();
    const pushes = await until(() => pushesOf(t.db, key), (p) => p.length === 12 && p.every((x) => x.status === "done"));
    expect(pushes.filter((p) => p.action === "update")).toHaveLength(4);
    expect(pushes.filter((p) => p.action === "comment")).toHaveLength(4);
    expect(pushes.every((p) => p.status === "done")).toBe(true);

    expect(jira.issues[0].comments).toEqual([
      `Status changed to In progress in Switchboard (${key}).`,
      `Reply from Sam Agent in Switchboard (${key}):\n\nPlease try the other USB-C port.`,
    ]);
    expect(fs.tickets[0].status).toBe(2);
    expect(fs.tickets[0].notes).toHaveLength(1);
    expect(fs.tickets[0].notes[0]).toMatchObject({ private: false });
    expect(fs.tickets[0].notes[0].body).toContain("Please try the other USB-C port.");
    expect(slack.messages.map((m) => m.text)).toEqual([expect.stringContaining("New P2 ticket"), `${key} status: New → In progress`, `${key}: new reply from Sam Agent`]);
    expect(hook.deliveries.map((d) => d.body.event)).toEqual(["ticket.created", "ticket.status_changed", "comment.added"]);
    const everything = JSON.stringify([jira.issues, fs.tickets, slack.messages, hook.deliveries.map((d) => d.body)]);
    expect(everything).not.toContain("vendor RMA");

    await updateTicket(t.db, key, { status: "resolved", resolution: "Dock firmware updated" }, agent);
    workers!.nudge();
    await until(() => pushesOf(t.db, key), (p) => p.length === 16 && p.every((x) => x.status === "done"));
    expect(fs.tickets[0].status).toBe(4);
    expect(jira.issues[0].comments.at(-1)).toBe(`Status changed to Resolved in Switchboard (${key}).`);
  });

  it("a ticket under the threshold is pushed once its priority rises to meet it; moving it to another team pushes it there", async () => {
    const ticket = await fileTicket(t.db, { title: "Monitor flickers", priority: "P3" });
    workers!.nudge();
    await until(() => pushesOf(t.db, ticket.key), (p) => p.length === 4 && p.every((x) => x.status === "done"));
    expect(jira.issues.filter((i) => (i.fields.project as { key: string }).key === "MAJ")).toHaveLength(0);

    await updateTicket(t.db, ticket.key, { priority: "P1" }, agent);
    workers!.nudge();
    const pushes = await until(() => pushesOf(t.db, ticket.key), (p) => p.length === 5 && p.every((x) => x.status === "done"));
    expect(pushes.at(-1)).toMatchObject({ target: "EUC major incidents", action: "create", status: "done" });
    expect(jira.issues.filter((i) => (i.fields.project as { key: string }).key === "MAJ")).toHaveLength(1);
    // The targets that already hold the ticket got no second create.
    expect(pushes.filter((p) => p.action === "create")).toHaveLength(5);

    await updateTicket(t.db, ticket.key, { team: "infrastructure" }, agent);
    workers!.nudge();
    const moved = await until(() => pushesOf(t.db, ticket.key), (p) => p.length === 6 && p.every((x) => x.status === "done"));
    expect(moved.at(-1)).toMatchObject({ target: "Infra Jira", action: "create", status: "done" });
    expect((await linksOf(t.db, ticket.key)).map((l) => l.target)).toContain("Infra Jira");
  });
});
