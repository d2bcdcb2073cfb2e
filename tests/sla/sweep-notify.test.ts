import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { startWorkers, stopWorkers, type Workers } from "@/lib/jobs/worker";
import { verifyWebhookSignature } from "@/lib/routing/push/webhook";
import { postSlaNotice, slaNotifyJob, slaPushTask } from "@/lib/sla/notify";
import { runSlaSweep } from "@/lib/sla/sweep";
import { startFakeSlack, type FakeSlack } from "../fakes/slack-server";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/webhook-receiver";
import { useTestDb } from "../helpers/db";
import { lastEventId, outbox, runHandlers } from "../mail/notify-helpers";
import { insertTarget, until } from "../routing/push-helpers";
import { agent, assign, stopAllChecks, at, breachesOf, fileTicket, HOUR, MIN, setClock, setEscalation } from "./sweep-helpers";

const t = useTestDb();
beforeEach(() => stopAllChecks(t.db));

/* Notifications of SLA warnings and breaches (issue #10 §3): mail to assignee and team lead, once. */
describe("sla.notify mail", () => {
  it("mails the assignee and the team's lead once per warning and breach, with the escalation in the breach mail", async () => {
    const db = t.db;
    await setEscalation(db, "P3 medium", { raisePriority: true });
    const owner = await agent(db, "owner@corp.test");
    await agent(db, "lead@corp.test", { seniority: "lead", name: "Lena Lead" });
    const tk = await fileTicket(db);
    await assign(db, tk.id, owner.id);
    await setClock(db, tk.id);
    let after = await lastEventId(db);

    await runSlaSweep(db, at(48 * MIN));
    after = await runHandlers(db, [slaNotifyJob], after);
    let mails = await outbox(db, tk.id, "sla.notify");
    expect(mails.map((m) => [m.kind, m.to_address, m.status]).sort()).toEqual([
      ["sla_warning", "lead@corp.test", "outbox"],
      ["sla_warning", "owner@corp.test", "outbox"],
    ]);
    expect(mails[0].subject).toContain(`[${tk.key}]`);
    expect(mails[0].text_body).toMatch(/first response target of .* is at risk: .*of business time left/);

    // The sweep and the job run again: nothing more.
    await runSlaSweep(db, at(48 * MIN));
    const [ev] = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM domain_events WHERE ticket_id = ${tk.id} AND type = 'ticket.sla_warning'`);
    await runHandlers(db, [slaNotifyJob], Number(ev.id) - 1);
    expect(await outbox(db, tk.id, "sla.notify")).toHaveLength(2);

    await runSlaSweep(db, at(HOUR));
    await runHandlers(db, [slaNotifyJob], after);
    mails = (await outbox(db, tk.id, "sla.notify")).filter((m) => m.kind === "sla_breach");
    expect(mails.map((m) => m.to_address).sort()).toEqual(["lead@corp.test", "owner@corp.test"]);
    expect(mails[0].text_body).toContain("Escalation: priority raised P3 → P2");
    expect(mails[0].text_body).toContain("overdue by less than a minute");
    const breach = (await breachesOf(db, tk.id)).find((b) => b.level === "breach")!;
    expect(breach.actions).toMatchObject({ raisedPriority: { from: "P3", to: "P2" } });
    expect((breach.actions.notified as string[]).sort()).toEqual(["mail:lead@corp.test", "mail:owner@corp.test"]);
    await setEscalation(db, "P3 medium", {});
  });

  it("one mail when the assignee is the lead; nobody when there is neither", async () => {
    const db = t.db;
    const lead = await agent(db, "solo-lead@corp.test", { seniority: "lead", name: "Aa Solo", team: "procurement" });
    const tk = await fileTicket(db);
    await setClock(db, tk.id);
    await db.execute(sql`UPDATE tickets SET team_slug = 'procurement', assignee_id = ${lead.id} WHERE id = ${tk.id}`);
    const tk2 = await fileTicket(db);
    await setClock(db, tk2.id);
    await db.execute(sql`UPDATE tickets SET team_slug = 'pmo', assignee_id = NULL WHERE id = ${tk2.id}`);
    const after = await lastEventId(db);
    await runSlaSweep(db, at(HOUR));
    await runHandlers(db, [slaNotifyJob], after);
    expect((await outbox(db, tk.id, "sla.notify")).map((m) => [m.kind, m.to_address])).toEqual([["sla_breach", "solo-lead@corp.test"]]);
    expect(await outbox(db, tk2.id, "sla.notify")).toEqual([]);
  });
});

describe("sla.push failures", () => {
  it("a 5xx is retried (throws) and a later attempt posts once; a 4xx is given up without retrying", async () => {
    const db = t.db;
    const fake = await startFakeSlack("RETRY");
    try {
      const good = await insertTarget(db, { name: "Procurement Slack", kind: "slack", url: fake.hookUrl, team: "procurement" });
      const wrong = await insertTarget(db, { name: "Procurement old hook", kind: "slack", url: `${fake.url}/services/T000/B000/GONE`, team: "procurement" });
      const tk = await fileTicket(db);
      await setClock(db, tk.id);
      await db.execute(sql`UPDATE tickets SET team_slug = 'procurement' WHERE id = ${tk.id}`);
      await runSlaSweep(db, at(HOUR));
      const [ev] = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM domain_events WHERE ticket_id = ${tk.id} AND type = 'ticket.sla_breached'`);
      const eventId = Number(ev.id);
      fake.failNext({ kind: "status", status: 503 });
      await expect(postSlaNotice(db, { eventId, targetId: good })).rejects.toThrow(/503/);
      expect(fake.messages).toHaveLength(0);
      expect(await postSlaNotice(db, { eventId, targetId: good })).toBe("done");
      expect(await postSlaNotice(db, { eventId, targetId: good })).toBe("already_done");
      expect(fake.messages).toHaveLength(1);
      expect(await postSlaNotice(db, { eventId, targetId: wrong })).toBe("rejected");
      expect(await postSlaNotice(db, { eventId, targetId: wrong })).toBe("already_done");
      expect(fake.requests.filter((r) => r.path.endsWith("/GONE"))).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});

describe("Slack and webhook targets", () => {
  let slack: FakeSlack;
  let hook: FakeWebhookReceiver;
  let workers: Workers | null;
  let otherSlack: FakeSlack;

  beforeAll(async () => {
    slack = await startFakeSlack();
    otherSlack = await startFakeSlack("OTHER");
    hook = await startFakeWebhookReceiver("whsec_sla");
    await insertTarget(t.db, { name: "EUC Slack", kind: "slack", url: slack.hookUrl });
    await insertTarget(t.db, { name: "EUC hook", kind: "webhook", url: `${hook.url}/in`, secret: "whsec_sla" });
    // Nothing for: a Jira target (records get no SLA messages), a P1-only Slack, an inactive one, another team's.
    await insertTarget(t.db, { name: "EUC Jira", kind: "jira", url: `${slack.url}/jira`, secret: "x:y", config: { projectKey: "EUC" } });
    await insertTarget(t.db, { name: "EUC P1 Slack", kind: "slack", url: otherSlack.hookUrl, threshold: "P1" });
    await insertTarget(t.db, { name: "EUC old Slack", kind: "slack", url: otherSlack.hookUrl, active: false });
    await insertTarget(t.db, { name: "Infra Slack", kind: "slack", url: otherSlack.hookUrl, team: "infrastructure" });
    workers = await startWorkers([slaNotifyJob], [slaPushTask]);
  }, 120_000);

  afterAll(async () => {
    await stopWorkers();
    await Promise.all([slack, otherSlack, hook].map((f) => f?.close()));
  });

  it("the team's Slack and webhook get the breach once, after the jobs run; repeats post nothing", async () => {
    const db = t.db;
    const tk = await fileTicket(db);
    await setClock(db, tk.id);
    await runSlaSweep(db, at(HOUR));
    workers!.nudge();
    await until(async () => slack.messages.length + hook.deliveries.length, (n) => n >= 2);
    expect(slack.messages).toHaveLength(1);
    const text = String(slack.messages[0].text);
    expect(text).toMatch(new RegExp(`^:rotating_light: ${tk.key} breached its first response SLA \\(P3, due .+, overdue by less than a minute\\)$`));
    expect(JSON.stringify(slack.messages[0].blocks)).toContain(`/tickets/${tk.key}|${tk.key}>`);

    expect(hook.deliveries).toHaveLength(1);
    const d = hook.deliveries[0];
    expect(d.body).toMatchObject({
      event: "ticket.sla_breached",
      ticket: { key: tk.key, priority: "P3" },
      sla: { target: "first_response", level: "breach", cycle: 0, policy: "P3 medium", due_at: at(HOUR).toISOString(), occurred_at: at(HOUR).toISOString() },
    });
    expect(verifyWebhookSignature("whsec_sla", String(d.headers["x-switchboard-timestamp"]), JSON.stringify(d.body), String(d.headers["x-switchboard-signature"]))).toBe(true);
    expect(d.idempotencyKey).toMatch(/^sb-sla-[0-9a-f-]+-\d+$/);

    // A redelivered post (same event, same target) sends nothing; the sweep does not record it again.
    const [ev] = await rows<{ id: number }>(db, sql`SELECT id::float8 AS id FROM domain_events WHERE ticket_id = ${tk.id} AND type = 'ticket.sla_breached'`);
    const [target] = await rows<{ id: string }>(db, sql`SELECT id::text AS id FROM external_targets WHERE name = 'EUC Slack'`);
    // A redelivery comes after the first job finished: wait for its receipt (written after the
    // target's 2xx, so the fake may have the message a moment before the job commits).
    expect(await until(async () => (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM job_receipts WHERE event_id = ${Number(ev.id)} AND handler = ${`sla.push:${target.id}`}`))[0].n, (n) => n === 1)).toBe(1);
    expect(await postSlaNotice(db, { eventId: Number(ev.id), targetId: target.id })).toBe("already_done");
    await runSlaSweep(db, at(HOUR + MIN));
    expect(slack.messages).toHaveLength(1);
    expect(otherSlack.messages).toHaveLength(0);
    const breach = (await breachesOf(db, tk.id)).find((b) => b.level === "breach")!;
    expect((breach.actions.notified as string[]).sort()).toEqual(["mail:lead@corp.test", "slack:EUC Slack", "webhook:EUC hook"]);
  });

  it("a warning is posted as at risk", async () => {
    const db = t.db;
    const before = slack.messages.length;
    const tk = await fileTicket(db);
    await setClock(db, tk.id);
    await runSlaSweep(db, at(48 * MIN));
    workers!.nudge();
    await until(async () => slack.messages.length, (n) => n > before);
    expect(String(slack.messages[before].text)).toMatch(new RegExp(`^:warning: ${tk.key} is at risk of breaching its first response SLA \\(P3, due .+ of business time left\\)$`));
  });
});
