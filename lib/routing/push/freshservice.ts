import type { Status } from "@/db/schema/enums";
import { FreshserviceConfigSchema, type ResolvedTarget } from "@/lib/routing/targets/types";
import { customHeaders, field, joinUrl, jsonHeaders, recordTag, type PushContext, type PushProtocol } from "./types";

const DEFAULT_PRIORITIES = { P1: 4, P2: 3, P3: 2, P4: 1 } as const;

/** Freshservice ticket status numbers: 2 Open, 3 Pending, 4 Resolved, 5 Closed. */
export const FRESHSERVICE_STATUS: Record<Status, number> = {
  new: 2,
  open: 2,
  in_progress: 2,
  waiting: 3,
  resolved: 4,
  closed: 5,
};

/** Freshservice auth: Basic `<api key>:X`. */
export function freshserviceAuth(target: ResolvedTarget): Record<string, string> {
  return target.secret ? { authorization: `Basic ${Buffer.from(`${target.secret}:X`).toString("base64")}` } : {};
}

/** Text as HTML (Freshservice descriptions and notes are HTML). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

const paragraphs = (s: string) => escapeHtml(s).split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`).join("");

/** The Freshservice v2 create-ticket body. */
export function freshserviceTicket(ctx: PushContext) {
  const cfg = FreshserviceConfigSchema.parse(ctx.target.config);
  const t = ctx.ticket;
  return {
    subject: `[${t.key}] ${t.title}`,
    description: `${paragraphs(t.description)}<p>Switchboard ticket <a href="${escapeHtml(t.url)}">${escapeHtml(t.key)}</a> · category ${escapeHtml(t.category)}</p>`,
    email: t.requesterEmail,
    priority: cfg.priorities[t.priority] ?? DEFAULT_PRIORITIES[t.priority],
    status: 2,
    source: cfg.source,
    ...(cfg.groupId ? { group_id: cfg.groupId } : {}),
    tags: ["switchboard", recordTag(t.key)],
  };
}

/**
 * Freshservice v2: create `POST <url>/api/v2/tickets` (answer `{ticket: {id}}`, seen at
 * `<url>/a/tickets/<id>`); a status change sets the ticket's status `PUT <url>/api/v2/tickets/<id>`
 * (the ticket's status now, so late retries never set an older one); a public reply becomes a
 * public note `POST <url>/api/v2/tickets/<id>/notes`. Lookup before a repeated create:
 * `GET <url>/api/v2/tickets/filter?query="tag:'switchboard-T-12'"`.
 */
export const freshservice: PushProtocol = {
  supports: () => true,
  build(ctx) {
    const headers = jsonHeaders(ctx.target, freshserviceAuth(ctx.target));
    const c = ctx.change;
    if (c.action === "create") {
      return { method: "POST", url: joinUrl(ctx.target.url, "/api/v2/tickets"), headers, body: JSON.stringify(freshserviceTicket(ctx)) };
    }
    const id = ctx.link?.externalId;
    if (!id) return null;
    if (c.action === "update") {
      return {
        method: "PUT",
        url: joinUrl(ctx.target.url, `/api/v2/tickets/${encodeURIComponent(id)}`),
        headers,
        body: JSON.stringify({ status: FRESHSERVICE_STATUS[ctx.ticket.status] }),
      };
    }
    return {
      method: "POST",
      url: joinUrl(ctx.target.url, `/api/v2/tickets/${encodeURIComponent(id)}/notes`),
      headers,
      body: JSON.stringify({ body: `<p>Reply from ${escapeHtml(c.author)} in Switchboard (${escapeHtml(ctx.ticket.key)}):</p>${paragraphs(c.body)}`, private: false }),
    };
  },
  created(ctx, answer) {
    const id = field(field(answer, "ticket"), "id");
    if (typeof id !== "number" && typeof id !== "string") throw new Error("Freshservice answered 2xx without a ticket id");
    return { externalId: String(id), externalUrl: joinUrl(ctx.target.url, `/a/tickets/${id}`) };
  },
  lookup: {
    request(ctx) {
      const query = `"tag:'${recordTag(ctx.ticket.key)}'"`;
      return {
        method: "GET",
        url: joinUrl(ctx.target.url, `/api/v2/tickets/filter?query=${encodeURIComponent(query)}`),
        headers: { ...customHeaders(ctx.target), accept: "application/json", ...freshserviceAuth(ctx.target) },
      };
    },
    parse(ctx, answer) {
      const list = field(answer, "tickets");
      if (!Array.isArray(list) || list.length === 0) return null;
      const id = field(list[0], "id");
      return typeof id === "number" || typeof id === "string"
        ? { externalId: String(id), externalUrl: joinUrl(ctx.target.url, `/a/tickets/${id}`) }
        : null;
    },
  },
};
