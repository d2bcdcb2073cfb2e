import "server-only";
import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import { createElement, type ReactElement } from "react";
import { env } from "@/lib/env";
import type { MailKind } from "./kinds";
import { AgentReply } from "./templates/agent-reply";
import { Assigned } from "./templates/assigned";
import { Bounce } from "./templates/bounce";
import { Confirmation } from "./templates/confirmation";
import { Invitation } from "./templates/invitation";
import { AccountInvite, PasswordReset } from "./templates/account";
import { ODataReport } from "./templates/odata-report";
import { Reopened } from "./templates/reopened";
import { SlaBreach, SlaWarning } from "./templates/sla";
import { Resolved } from "./templates/resolved";
import { TeamNewTicket } from "./templates/team-new-ticket";
import { TicketReceived } from "./templates/ticket-received";
import type { MailData, TemplateProps } from "./templates/types";
import { WaitingOnYou } from "./templates/waiting-on-you";
import { WatcherMessage } from "./templates/watcher-message";

export type { MailData, MailTicket } from "./templates/types";

/** A rendered mail: subject, text part and HTML part (see lib/mail/queue.ts). */
export interface RenderedMailParts {
  subject: string;
  text: string;
  html: string;
}

/** Longest subject we produce (the `mail_outbox.subject` column). */
export const MAX_SUBJECT = 300;

/** A subject line: one line, no control characters, within {@link MAX_SUBJECT}. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return t.length > MAX_SUBJECT ? `${t.slice(0, MAX_SUBJECT - 1)}…` : t;
}

type Template<K extends MailKind> = {
  component: (props: TemplateProps<K>) => ReactElement;
  subject: (data: MailData[K]) => string;
};

/**
 * One template per kind (React Email components in lib/mail/templates) and its subject. Every
 * subject of a ticket mail starts with the key in brackets, `[T-123] …`, which inbound mail
 * (lib/mail/inbound) recognises in replies.
 */
const TEMPLATES: { [K in MailKind]: Template<K> } = {
  ticket_received: { component: TicketReceived, subject: (d) => `[${d.ticket.key}] We received your request: ${d.ticket.title}` },
  agent_reply: { component: AgentReply, subject: (d) => `[${d.ticket.key}] Re: ${d.ticket.title}` },
  waiting_on_you: { component: WaitingOnYou, subject: (d) => `[${d.ticket.key}] Waiting on you: ${d.ticket.title}` },
  resolved: { component: Resolved, subject: (d) => `[${d.ticket.key}] Resolved: ${d.ticket.title}` },
  reopened: { component: Reopened, subject: (d) => `[${d.ticket.key}] Reopened: ${d.ticket.title}` },
  assigned: { component: Assigned, subject: (d) => `[${d.ticket.key}] Assigned to you: ${d.ticket.title}` },
  team_new_ticket: { component: TeamNewTicket, subject: (d) => `[${d.ticket.key}] New ticket for ${d.teamName}: ${d.ticket.title}` },
  watcher_message: { component: WatcherMessage, subject: (d) => `[${d.ticket.key}] Re: ${d.ticket.title}` },
  confirmation: { component: Confirmation, subject: (d) => `[${d.ticket.key}] Please confirm your request: ${d.ticket.title}` },
  bounce: { component: Bounce, subject: (d) => (d.originalSubject ? `Not accepted: ${d.originalSubject}` : "Your mail to the service desk was not accepted") },
  invitation: { component: Invitation, subject: () => "You have been added to the service desk" },
  account_invite: { component: AccountInvite, subject: () => "You are invited to the service desk: set your password" },
  password_reset: { component: PasswordReset, subject: () => "Reset your service desk password" },
  sla_warning: { component: SlaWarning, subject: (d) => `[${d.ticket.key}] SLA at risk (${d.target}): ${d.ticket.title}` },
  sla_breach: { component: SlaBreach, subject: (d) => `[${d.ticket.key}] SLA breached (${d.target}): ${d.ticket.title}` },
  odata_report: { component: ODataReport, subject: (d) => `OData ${d.sourceName}: ${d.created} created, ${d.updated} updated, ${d.errorCount} errors` },
};

/** The desk's name in mail headers: the display name of MAIL_FROM (`Service Desk <…>`), else "Switchboard". */
export function deskName(): string {
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(env().MAIL_FROM);
  return m && m[1].trim() ? m[1].trim() : "Switchboard";
}

/**
 * The text part's converter: React Email's own plain-text options (what `render(el, {plainText})`
 * uses: no wrapping, its selectors) plus headings as written (not upper-cased). Compiled once:
 * html-to-text's `convert` compiles its options on every call, which cost more than rendering
 * the mail (docs/RELIABILITY.md, load figures).
 */
const toText = compile({
  wordwrap: false,
  selectors: [...plainTextSelectors, { selector: "h1", options: { uppercase: false } }, { selector: "h2", options: { uppercase: false } }],
});

/**
 * Render a mail of `kind` with React Email: the HTML part, the plain-text part (html-to-text of
 * the HTML part, line breaks kept, no wrapping) and the subject (`[T-123] …` for ticket
 * mails; one line, ≤ 300 chars). `ctx.unsubscribeUrl` adds the footer's unsubscribe link
 * (optional kinds); null leaves it out (transactional kinds).
 *
 * @returns `{subject, text, html}`; throws only if React rendering fails (a bug).
 */
export async function renderMail<K extends MailKind>(kind: K, data: MailData[K], ctx: { unsubscribeUrl: string | null }): Promise<RenderedMailParts> {
  const t = TEMPLATES[kind] as Template<K>;
  const props = { ...data, deskName: deskName(), unsubscribeUrl: ctx.unsubscribeUrl };
  const el = createElement(t.component as unknown as (p: Record<string, unknown>) => ReactElement, props as Record<string, unknown>);
  // One React render; the text part is the HTML part converted (render(el, {plainText}) would render again).
  const html = await render(el);
  return { subject: oneLine(t.subject(data)), text: toText(html).trim(), html };
}
