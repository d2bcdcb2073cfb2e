import type { MailKind } from "../kinds";

/** A ticket as mails show it: key (`T-123`), title and the link for this recipient (portal or desk). */
export interface MailTicket {
  key: string;
  title: string;
  /** Absolute URL: the requester portal page (`/requests/T-1`) or the agent page (`/tickets/T-1`). */
  url: string;
}

/**
 * The data each kind of mail needs (lib/mail/kinds.ts MAIL_KINDS). Every field is plain data;
 * user content (titles, bodies, names) is rendered as escaped text.
 */
export interface MailData {
  ticket_received: { ticket: MailTicket };
  /** `author`: the agent's display name; `body`: the public reply as written (line breaks kept). */
  agent_reply: { ticket: MailTicket; author: string; body: string };
  /** `message`: the agent's latest public reply, if any, shown as what to answer. */
  waiting_on_you: { ticket: MailTicket; message: string | null };
  /** `reopenUrl`: the portal page of the ticket, where the requester can reply to reopen it. */
  resolved: { ticket: MailTicket; resolution: string | null; reopenUrl: string; reopenWindowDays: number };
  reopened: { ticket: MailTicket };
  /** `reason`: why this person (auto-assignment's reason), null when assigned by hand; `by`: who assigned it. */
  assigned: { ticket: MailTicket; assigneeName: string; reason: string | null; by: string | null; roundRobin: boolean };
  team_new_ticket: { ticket: MailTicket; teamName: string; requester: string; priority: string; description: string };
  /** A public message on a watched ticket, by the requester or an agent. */
  /** `ticket.url`: the desk page for agents; null for other watchers (the portal shows a ticket only to its requester). */
  watcher_message: { ticket: Omit<MailTicket, "url"> & { url: string | null }; author: string; body: string };
  confirmation: { ticket: MailTicket; confirmUrl: string; ttlDays: number };
  /** `originalSubject`: the subject of the refused mail; `deskUrl`: where to sign in / file requests. */
  bounce: { originalSubject: string | null; reason: string; deskUrl: string };
  invitation: { name: string; teamName: string | null; deskUrl: string; setPasswordUrl: string; ttlHours: number };
  /** `setPasswordUrl`: the one-time invite link; `ttlHours`: how long it works; `invitedBy`: the admin's name. */
  account_invite: { name: string; invitedBy: string; role: string; setPasswordUrl: string; ttlHours: number };
  /** `resetUrl`: the one-time reset link; `ttlMinutes`: how long it works. */
  password_reset: { name: string; resetUrl: string; ttlMinutes: number };
  /**
   * `target`: "first response" | "next response" | "resolution" (display words); `dueAt`: ISO
   * due time; `dueLabel`: the due time in the policy's time zone, e.g. "Tue 2 Dec 14:00 CET";
   * `remaining`: e.g. "45 min of business time left".
   */
  sla_warning: { ticket: MailTicket; target: string; policy: string; priority: string; dueAt: string; dueLabel: string; remaining: string };
  /** `overdue`: e.g. "overdue by 5 min"; `actions`: what the escalation did, one line each. */
  sla_breach: { ticket: MailTicket; target: string; policy: string; priority: string; dueAt: string; dueLabel: string; overdue: string; actions: string[] };
  /** One OData pull's report; `errorCount`: all errors; `errors`: up to 20 lines as served (OData error bodies shown as they are). */
  odata_report: {
    sourceName: string;
    status: string;
    fetched: number;
    created: number;
    updated: number;
    skipped: number;
    errorCount: number;
    errors: string[];
    runUrl: string;
  };
}

/** Rendering context shared by all templates. */
export interface TemplateContext {
  deskName: string;
  unsubscribeUrl: string | null;
}

/** Props of a template component of kind K. */
export type TemplateProps<K extends MailKind> = MailData[K] & TemplateContext;
