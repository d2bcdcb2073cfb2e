/**
 * Kinds of mail Switchboard sends. Preferences (on/off per person) and unsubscribe links are per
 * kind. Transactional kinds (a confirmation link, a bounce, an invitation) are not optional: they
 * answer something the recipient did or needs, and carry no unsubscribe link.
 */
export const MAIL_KINDS = [
  /** Requester: "we received your request T-123". */
  "ticket_received",
  /** Requester: an agent's public reply (watchers get `watcher_message`). */
  "agent_reply",
  /** Requester: the ticket waits on them. */
  "waiting_on_you",
  /** Requester: resolved, with a link to reopen. */
  "resolved",
  /** Requester: reopened. */
  "reopened",
  /** Assignee: a ticket was assigned to you. */
  "assigned",
  /** Team members: a new ticket landed on the team and nobody is assigned. */
  "team_new_ticket",
  /** Watchers (CC): every public message on the ticket. */
  "watcher_message",
  /** Transactional: confirm a ticket filed while signed out. */
  "confirmation",
  /** Transactional: an inbound mail from an unknown sender while public submissions are off. */
  "bounce",
  /** Transactional: you were added as an agent (employee profile or import); a one-time link to set your first password. */
  "invitation",
  /** Transactional: an admin invited you; a one-time link to set your first password (lib/users/admin). */
  "account_invite",
  /** Transactional: a one-time link to choose a new password (forgot password, or an admin's reset). */
  "password_reset",
  /** Assignee and team lead: an SLA target of a ticket is at risk (lib/sla/sweep.ts). */
  "sla_warning",
  /** Assignee and team lead: an SLA target was breached, with what the escalation did. */
  "sla_breach",
  /** Stakeholders of an OData source: the report of a pull (lib/odata). */
  "odata_report",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** Kinds a person can switch off (and that carry an unsubscribe link). */
export const OPTIONAL_MAIL_KINDS = [
  "ticket_received",
  "agent_reply",
  "waiting_on_you",
  "resolved",
  "reopened",
  "assigned",
  "team_new_ticket",
  "watcher_message",
  "sla_warning",
  "sla_breach",
  "odata_report",
] as const satisfies readonly MailKind[];
export type OptionalMailKind = (typeof OPTIONAL_MAIL_KINDS)[number];

/** Labels for the preferences page and the outbox. */
export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  ticket_received: "We received your request",
  agent_reply: "An agent replied to your request",
  waiting_on_you: "Your request waits on you",
  resolved: "Your request was resolved",
  reopened: "Your request was reopened",
  assigned: "A ticket was assigned to you",
  team_new_ticket: "New unassigned ticket in your team",
  watcher_message: "New message on a ticket you watch",
  confirmation: "Confirm a request filed under your address",
  bounce: "Your mail could not be accepted",
  invitation: "You were added to the service desk",
  account_invite: "You are invited: set your password",
  password_reset: "Reset your password",
  sla_warning: "An SLA target of your ticket is at risk",
  sla_breach: "An SLA target of your ticket was breached",
  odata_report: "Report of an OData source's pull",
};

export function isOptionalMailKind(kind: string): kind is OptionalMailKind {
  return (OPTIONAL_MAIL_KINDS as readonly string[]).includes(kind);
}
