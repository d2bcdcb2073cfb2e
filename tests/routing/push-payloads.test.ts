import { describe, expect, it } from "vitest";
import { freshservice, FRESHSERVICE_STATUS } from "@/lib/routing/push/freshservice";
import { jira } from "@/lib/routing/push/jira";
import { slack } from "@/lib/routing/push/slack";
import type { PushChange, PushContext, PushTicket } from "@/lib/routing/push/types";
import { signWebhook, verifyWebhookSignature, webhook } from "@/lib/routing/push/webhook";
import type { ResolvedTarget } from "@/lib/routing/targets/types";

const ticket: PushTicket = {
  key: "T-12",
  title: "VPN drops every 10 minutes",
  description: "Since Monday the VPN disconnects.\n\nCisco client 5.1 <on> Windows & co.",
  requesterEmail: "alice@corp.test",
  priority: "P2",
  status: "open",
  category: "Network",
  team: "Infrastructure",
  source: "email",
  createdAt: "2026-12-01T10:00:00.000Z",
  url: "https://desk.corp.test/tickets/T-12",
};

function target(kind: ResolvedTarget["kind"], over: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    name: `${kind} target`,
    teamSlug: "infrastructure",
    kind,
    url: "https://ext.example.test/",
    method: "POST",
    headers: {},
    secret: null,
    config: {},
    priorityThreshold: "P4",
    active: true,
    retryLimit: 10,
    retryDelayS: 10,
    ...over,
  };
}

function ctx(t: ResolvedTarget, change: PushChange = { action: "create" }, link: PushContext["link"] = null): PushContext {
  return { ticket, target: t, change, link, deliveryId: "sb-x-1", nowS: 1_796_000_000 };
}

const body = (r: { body?: string } | null) => JSON.parse(r!.body!) as Record<string, any>;

describe("Jira REST v2", () => {
  const t = target("jira", { secret: "bot@corp.test:tok3n", config: { projectKey: "OPS", priorities: { P2: "Major" } }, headers: { "X-Extra": "1" } });

  it("creates an issue with project, issue type, summary, description with a link back, mapped priority and our labels", () => {
    const r = jira.build(ctx(t))!;
    expect(r.method).toBe("POST");
    expect(r.url).toBe("https://ext.example.test/rest/api/2/issue");
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from("bot@corp.test:tok3n").toString("base64")}`);
    expect(r.headers["x-extra"]).toBe("1");
    const f = body(r).fields;
    expect(f.project).toEqual({ key: "OPS" });
    expect(f.issuetype).toEqual({ name: "Task" });
    expect(f.summary).toBe("[T-12] VPN drops every 10 minutes");
    expect(f.description).toContain("https://desk.corp.test/tickets/T-12");
    expect(f.priority).toEqual({ name: "Major" });
    expect(f.labels).toEqual(["switchboard", "switchboard-T-12"]);
  });

  it("uses a bearer token when the secret is not email:token, and default priority names", () => {
    const r = jira.build(ctx(target("jira", { secret: "pat-123", config: { projectKey: "OPS" } })))!;
    expect(r.headers.authorization).toBe("Bearer pat-123");
    expect(body(r).fields.priority).toEqual({ name: "High" });
  });

  it("reads the issue key as the record, looks it up by JQL on the label, and comments on status changes", () => {
    expect(jira.created(ctx(t), { id: "10001", key: "OPS-7", self: "x" })).toEqual({ externalId: "OPS-7", externalUrl: "https://ext.example.test/browse/OPS-7" });
    const q = jira.lookup!.request(ctx(t));
    expect(new URL(q.url).searchParams.get("jql")).toBe('labels = "switchboard-T-12"');
    expect(new URL(q.url).pathname).toBe("/rest/api/2/search/jql"); // Cloud (email:token)
    expect(new URL(jira.lookup!.request(ctx(target("jira", { secret: "pat-1", config: { projectKey: "OPS" } }))).url).pathname).toBe("/rest/api/2/search"); // Data Center
    expect(jira.lookup!.parse(ctx(t), { issues: [] })).toBeNull();
    const c = jira.build(ctx(t, { action: "update", from: "open", to: "resolved" }, { externalId: "OPS-7", externalUrl: null }))!;
    expect(c.url).toBe("https://ext.example.test/rest/api/2/issue/OPS-7/comment");
    expect(body(c).body).toBe("Status changed to Resolved in Switchboard (T-12).");
    expect(() => jira.created(ctx(t), { id: "1" })).toThrow(/issue key/);
  });
});

describe("Freshservice v2", () => {
  const t = target("freshservice", { secret: "fs-key", config: { groupId: 42 } });

  it("creates a ticket with HTML description, requester, numeric priority and status, group and tags", () => {
    const r = freshservice.build(ctx(t))!;
    expect(r.url).toBe("https://ext.example.test/api/v2/tickets");
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from("fs-key:X").toString("base64")}`);
    const b = body(r);
    expect(b).toMatchObject({ subject: "[T-12] VPN drops every 10 minutes", email: "alice@corp.test", priority: 3, status: 2, source: 2, group_id: 42 });
    expect(b.tags).toEqual(["switchboard", "switchboard-T-12"]);
    expect(b.description).toContain("&lt;on&gt; Windows &amp; co.");
    expect(b.description).toContain('<a href="https://desk.corp.test/tickets/T-12">T-12</a>');
  });

  it("sets the ticket's current status on updates and adds public notes for replies; looks up by tag", () => {
    const link = { externalId: "1001", externalUrl: null };
    const u = freshservice.build({ ...ctx(t, { action: "update", from: "open", to: "resolved" }, link), ticket: { ...ticket, status: "resolved" } })!;
    expect(u.method).toBe("PUT");
    expect(u.url).toBe("https://ext.example.test/api/v2/tickets/1001");
    expect(body(u)).toEqual({ status: FRESHSERVICE_STATUS.resolved });
    const n = freshservice.build(ctx(t, { action: "comment", commentId: 5, author: "Sam", body: "Try <this>" }, link))!;
    expect(n.url).toBe("https://ext.example.test/api/v2/tickets/1001/notes");
    expect(body(n)).toMatchObject({ private: false });
    expect(body(n).body).toContain("Try &lt;this&gt;");
    const q = freshservice.lookup!.request(ctx(t));
    expect(new URL(q.url).searchParams.get("query")).toBe(`"tag:'switchboard-T-12'"`);
    expect(freshservice.created(ctx(t), { ticket: { id: 1001 } })).toEqual({ externalId: "1001", externalUrl: "https://ext.example.test/a/tickets/1001" });
  });
});

describe("Slack incoming webhook", () => {
  it("sends a text fallback and blocks: header, fields, a button back to the ticket; mentions on P1 when configured", () => {
    const t = target("slack", { url: "https://hooks.slack.test/services/T/B/X", config: { mentionOnP1: "<!here>" } });
    const m = body(slack.build({ ...ctx(t), ticket: { ...ticket, priority: "P1" } }));
    expect(m.text).toMatch(/^<!here> New P1 ticket T-12/);
    expect(m.blocks.map((b: { type: string }) => b.type)).toEqual(["header", "section", "actions"]);
    expect(m.blocks[1].fields.map((f: { text: string }) => f.text)).toContain("*Priority*\nP1");
    expect(m.blocks[2].elements[0].url).toBe("https://desk.corp.test/tickets/T-12");
    expect(m.blocks[1].text.text).toContain("&lt;on&gt;");
    expect(slack.created(ctx(t), "ok")).toEqual({ externalId: null, externalUrl: null });
    const u = body(slack.build(ctx(t, { action: "update", from: "open", to: "resolved" })));
    expect(u.text).toBe("T-12 status: Open → Resolved");
  });
});

describe("generic webhook", () => {
  const secret = "whsec_test";
  const t = target("webhook", { secret, method: "PUT", headers: { "X-Tenant": "acme" } });

  it("sends the event JSON with idempotency key, delivery id, custom headers and a verifiable signature", () => {
    const r = webhook.build(ctx(t))!;
    expect(r.method).toBe("PUT");
    const b = body(r);
    expect(b).toMatchObject({ event: "ticket.created", delivery_id: "sb-x-1", ticket: { key: "T-12", url: ticket.url, priority: "P2" } });
    expect(r.headers["idempotency-key"]).toBe("sb-x-1");
    expect(r.headers["x-switchboard-delivery"]).toBe("sb-x-1");
    expect(r.headers["x-tenant"]).toBe("acme");
    // A custom header never doubles one of ours.
    const own = webhook.build(ctx(target("webhook", { headers: { "Idempotency-Key": "fixed", Authorization: "Bearer gw" } })))!;
    expect(own.headers["idempotency-key"]).toBe("sb-x-1");
    expect(own.headers.authorization).toBe("Bearer gw");
    expect(Object.keys(own.headers).filter((h) => h.toLowerCase() === "idempotency-key")).toHaveLength(1);
    const ts = r.headers["x-switchboard-timestamp"];
    expect(ts).toBe("1796000000");
    expect(r.headers["x-switchboard-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    const now = 1_796_000_010;
    expect(verifyWebhookSignature(secret, ts, r.body!, r.headers["x-switchboard-signature"], 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, ts, r.body!.replace("T-12", "T-13"), r.headers["x-switchboard-signature"], 300, now)).toBe(false);
    expect(verifyWebhookSignature("other", ts, r.body!, r.headers["x-switchboard-signature"], 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, ts, r.body!, r.headers["x-switchboard-signature"], 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, ts, r.body!, undefined, 300, now)).toBe(false);
    // Several signatures (secret rotation): any one that matches is enough.
    expect(verifyWebhookSignature(secret, ts, r.body!, `v1=${"0".repeat(64)}, ${r.headers["x-switchboard-signature"]}`, 300, now)).toBe(true);
  });

  it("signs HMAC-SHA256 over `${timestamp}.${body}` (a known vector)", () => {
    // Computed independently: echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
    expect(signWebhook("key", 1_700_000_000, '{"a":1}')).toBe("v1=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03");
  });

  it("sends no signature headers without a secret, and carries status changes and replies", () => {
    const r = webhook.build(ctx(target("webhook")))!;
    expect(r.headers["x-switchboard-signature"]).toBeUndefined();
    expect(body(webhook.build(ctx(t, { action: "update", from: "open", to: "closed" })))).toMatchObject({ event: "ticket.status_changed", change: { from: "open", to: "closed" } });
    expect(body(webhook.build(ctx(t, { action: "comment", commentId: 3, author: "Sam", body: "Done" })))).toMatchObject({ event: "comment.added", comment: { id: 3, author: "Sam", body: "Done" } });
  });
});
