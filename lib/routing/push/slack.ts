import { SlackConfigSchema } from "@/lib/routing/targets/types";
import { jsonHeaders, STATUS_LABELS, type PushContext, type PushProtocol } from "./types";

/** Slack mrkdwn escaping of user text (`&`, `<`, `>`). */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The incoming-webhook message: `text` fallback (notifications) and Block Kit `blocks`. */
export function slackMessage(ctx: PushContext) {
  const cfg = SlackConfigSchema.parse(ctx.target.config);
  const t = ctx.ticket;
  const c = ctx.change;
  const link = `<${t.url}|${t.key}>`;
  const channel = cfg.channel ? { channel: cfg.channel } : {};
  if (c.action === "create") {
    const mention = t.priority === "P1" && cfg.mentionOnP1 ? `${cfg.mentionOnP1} ` : "";
    return {
      ...channel,
      text: `${mention}New ${t.priority} ticket ${t.key}: ${slackEscape(t.title)} (${t.url})`,
      blocks: [
        { type: "header", text: { type: "plain_text", text: `[${t.key}] ${t.title}`.slice(0, 150), emoji: false } },
        {
          type: "section",
          text: { type: "mrkdwn", text: `${mention}${slackEscape(t.description).slice(0, 2800)}` },
          fields: [
            { type: "mrkdwn", text: `*Priority*\n${t.priority}` },
            { type: "mrkdwn", text: `*Category*\n${slackEscape(t.category)}` },
            { type: "mrkdwn", text: `*Team*\n${slackEscape(t.team ?? "none")}` },
            { type: "mrkdwn", text: `*Requester*\n${slackEscape(t.requesterEmail)}` },
          ],
        },
        {
          type: "actions",
          elements: [{ type: "button", text: { type: "plain_text", text: `Open ${t.key}` }, url: t.url, action_id: "open_ticket" }],
        },
      ],
    };
  }
  const line =
    c.action === "update"
      ? `${link} status: ${STATUS_LABELS[c.from]} → *${STATUS_LABELS[c.to]}*`
      : `${link}: new reply from ${slackEscape(c.author)}`;
  return {
    ...channel,
    text: c.action === "update" ? `${t.key} status: ${STATUS_LABELS[c.from]} → ${STATUS_LABELS[c.to]}` : `${t.key}: new reply from ${c.author}`,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: line } }],
  };
}

/**
 * Slack incoming webhook (`url` is the hook; it is the credential): a message with blocks and
 * a button back to the ticket on create; one line per status change or public reply (the
 * reply's text stays in Switchboard). Slack keeps no record we can find again: the link
 * stores no id, and a create retried after a crash between Slack's 200 and our commit may
 * post the message twice (a notification, not a record; see docs/ROUTING.md).
 */
export const slack: PushProtocol = {
  supports: () => true,
  build(ctx) {
    return { method: "POST", url: ctx.target.url, headers: jsonHeaders(ctx.target), body: JSON.stringify(slackMessage(ctx)) };
  },
  created: () => ({ externalId: null, externalUrl: null }),
};
