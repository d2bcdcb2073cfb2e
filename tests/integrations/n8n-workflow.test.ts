import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as webhookRoute from "@/app/api/webhook/ticket/route";
import { readIdempotencyKey } from "@/lib/http/idempotency";
import { WebhookTicketSchema } from "@/lib/integrations/webhook-ticket-schema";
import { useTestDb } from "../helpers/db";
import { makeActor, tableCounts, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * The shipped n8n workflow (integrations/n8n/switchboard-email-to-ticket.json, issue #8 §2):
 * IMAP trigger → HTTP Request to POST /api/webhook/ticket with the API key credential and an
 * Idempotency-Key from the Message-ID. Its expressions are rendered against items shaped like
 * the IMAP node's `resolved` output (mailparser's ParsedMail plus `attributes.uid`), the body is
 * parsed with WebhookTicketSchema, and the rendered request is sent to the route handler.
 */

const WORKFLOW = path.join(process.cwd(), "integrations", "n8n", "switchboard-email-to-ticket.json");

interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  retryOnFail?: boolean;
}
interface N8nWorkflow {
  name: string;
  nodes: N8nNode[];
  connections: Record<string, { main: { node: string; type: string; index: number }[][] }>;
}

const workflow = JSON.parse(fs.readFileSync(WORKFLOW, "utf8")) as N8nWorkflow;
const imap = workflow.nodes.find((n) => n.type === "n8n-nodes-base.emailReadImap")!;
const http = workflow.nodes.find((n) => n.type === "n8n-nodes-base.httpRequest")!;
const hp = http.parameters as {
  method: string;
  url: string;
  authentication: string;
  genericAuthType: string;
  sendHeaders: boolean;
  headerParameters: { parameters: { name: string; value: string }[] };
  sendBody: boolean;
  contentType: string;
  specifyBody: string;
  jsonBody: string;
};

/**
 * A tiny evaluator of the n8n expressions the workflow uses: a parameter starting with `=` is an
 * expression; each `{{ … }}` segment is JavaScript with `$json` (the incoming item) in scope. A
 * parameter that is one segment yields the segment's value; otherwise the segments are
 * interpolated into the text. Values without `=` are literals.
 */
function render(param: string, $json: Record<string, unknown>): unknown {
  if (!param.startsWith("=")) return param;
  const template = param.slice(1);
  const evalSegment = (code: string) => new Function("$json", `"use strict"; return (${code});`)($json) as unknown;
  const whole = /^\{\{([\s\S]*)\}\}$/.exec(template.trim());
  if (whole && !whole[1].includes("}}")) return evalSegment(whole[1]);
  return template.replace(/\{\{([\s\S]*?)\}\}/g, (_, code: string) => String(evalSegment(code)));
}

/** An item as the IMAP trigger emits it with format `resolved` (mailparser output). */
function imapItem(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    headers: { "message-id": "<CAF8x2Q1=abc@mail.corp.example>", subject: "VPN not working after update" },
    subject: "VPN not working after update",
    text: "Since the latest update I can't connect to VPN. Keeps timing out.\n",
    html: "<p>Since the latest update I can't connect to VPN. Keeps timing out.</p>",
    textAsHtml: "<p>Since the latest update I can&#x27;t connect to VPN. Keeps timing out.</p>",
    date: "2026-11-30T09:12:00.000Z",
    from: { value: [{ address: "Jane.Doe@Corp.example", name: "Jane Doe" }], text: "Jane Doe <Jane.Doe@Corp.example>", html: "" },
    to: { value: [{ address: "support@corp.example", name: "" }], text: "support@corp.example", html: "" },
    messageId: "<CAF8x2Q1=abc@mail.corp.example>",
    attributes: { uid: 42 },
    ...over,
  };
}

function renderRequest(item: Record<string, unknown>) {
  const headers: Record<string, string> = {};
  for (const h of hp.headerParameters.parameters) headers[h.name] = String(render(h.value, item));
  const raw = render(hp.jsonBody, item);
  const body = typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw;
  return { url: String(render(hp.url, item)), method: hp.method, headers, body };
}

describe("the shipped n8n workflow", () => {
  it("is an IMAP trigger connected to one HTTP Request node", () => {
    expect(workflow.nodes.map((n) => n.type).sort()).toEqual(["n8n-nodes-base.emailReadImap", "n8n-nodes-base.httpRequest"]);
    expect(new Set(workflow.nodes.map((n) => n.name)).size).toBe(2);
    expect(workflow.connections[imap.name].main[0]).toEqual([{ node: http.name, type: "main", index: 0 }]);
    expect(Object.keys(workflow.connections)).toEqual([imap.name]);
    for (const n of workflow.nodes) {
      expect(n.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(n.position).toHaveLength(2);
    }
  });

  it("reads the mailbox in the resolved format (messageId, from, text) and marks mails read", () => {
    expect(imap.typeVersion).toBeGreaterThanOrEqual(2);
    expect(imap.parameters).toMatchObject({ mailbox: "INBOX", format: "resolved", postProcessAction: "read" });
    expect(imap.credentials?.imap).toBeDefined();
  });

  it("POSTs to /api/webhook/ticket with the API key as a header credential, no secret in the file", () => {
    expect(http.typeVersion).toBeGreaterThanOrEqual(4);
    expect(hp.method).toBe("POST");
    expect(new URL(hp.url).pathname).toBe("/api/webhook/ticket");
    expect(hp.authentication).toBe("genericCredentialType");
    expect(hp.genericAuthType).toBe("httpHeaderAuth");
    expect(http.credentials?.httpHeaderAuth?.name).toBeTruthy();
    expect(hp.headerParameters.parameters.map((h) => h.name.toLowerCase())).not.toContain("authorization");
    expect(fs.readFileSync(WORKFLOW, "utf8")).not.toMatch(/sb_[A-Za-z0-9_-]{20,}/);
    expect(hp).toMatchObject({ sendHeaders: true, sendBody: true, contentType: "json", specifyBody: "json" });
    // retries are safe: the Idempotency-Key makes a repeated POST return the first answer
    expect(http.retryOnFail).toBe(true);
  });

  it("sends the Message-ID as Idempotency-Key (the IMAP uid when a mail has none)", () => {
    const idem = hp.headerParameters.parameters.find((h) => h.name === "Idempotency-Key")!;
    expect(idem.value).toContain("$json.messageId");
    expect(render(idem.value, imapItem())).toBe("<CAF8x2Q1=abc@mail.corp.example>");
    expect(render(idem.value, imapItem({ messageId: undefined }))).toBe("imap-uid-42");
    expect(readIdempotencyKey(new Headers({ "Idempotency-Key": String(render(idem.value, imapItem())) }))).toBe("<CAF8x2Q1=abc@mail.corp.example>");
  });

  it("maps subject/text/from to title/description/email, accepted by WebhookTicketSchema", () => {
    const { body } = renderRequest(imapItem());
    const parsed = WebhookTicketSchema.parse(body);
    expect(parsed.title).toBe("VPN not working after update");
    expect(parsed.description).toBe("Since the latest update I can't connect to VPN. Keeps timing out.");
    expect(parsed.email).toBe("jane.doe@corp.example");
    expect(parsed.source).toBe("email");
    expect(parsed.metadata).toEqual({ message_id: "<CAF8x2Q1=abc@mail.corp.example>", received_at: "2026-11-30T09:12:00.000Z", via: "n8n" });
  });

  it("a mail with a one-word body or no subject still makes a valid request", () => {
    const short = WebhookTicketSchema.parse(renderRequest(imapItem({ text: "thanks\n", subject: "Printer jammed on floor 3" })).body);
    expect(short.description).toBe("Printer jammed on floor 3\n\nthanks");
    const noSubject = WebhookTicketSchema.parse(renderRequest(imapItem({ subject: undefined })).body);
    expect(noSubject.title).toBe("(no subject)");
    const huge = WebhookTicketSchema.parse(renderRequest(imapItem({ text: "word ".repeat(3000), subject: "s".repeat(400) })).body);
    expect(huge.title).toHaveLength(200);
    expect(huge.description.length).toBeLessThanOrEqual(5000);
  });
});

describe("the rendered request against the endpoint", () => {
  const testDb = useTestDb();
  let db: Db;
  let bot: Actor;
  beforeAll(async () => {
    db = testDb.db;
    bot = await makeActor(db, "n8n@corp.test", "agent");
  });

  it("files one ticket per mail; n8n's retry of the same mail replays it", async () => {
    const req = renderRequest(imapItem());
    const send = () =>
      call(webhookRoute.POST, { path: new URL(req.url).pathname, method: req.method, key: bot.key, headers: req.headers, body: req.body });
    const before = await tableCounts(db);
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.body.ticket_id).toMatch(/^T-\d+$/);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.ticket_id).toBe(first.body.ticket_id);
    expect((await tableCounts(db)).tickets - before.tickets).toBe(1);
  });
});
