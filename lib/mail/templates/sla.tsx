import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Assignee and team lead: an SLA target of a ticket is at risk (the policy's at-risk share of its business time is used). */
export function SlaWarning({ ticket, target, policy, priority, dueLabel, remaining, deskName, unsubscribeUrl }: TemplateProps<"sla_warning">) {
  return (
    <Layout deskName={deskName} preview={`${ticket.key}: ${target} due ${dueLabel}`} reason={`you are the assignee or team lead of ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        The {target} target of {ticket.key} ({priority}) is at risk: {remaining}.
      </P>
      <P>{ticket.title}</P>
      <P>
        Due {dueLabel} under the policy “{policy}”.
      </P>
      <UrlLine label="Open it here:" href={ticket.url} />
    </Layout>
  );
}

/** Assignee and team lead: an SLA target was breached, with what the escalation did. */
export function SlaBreach({ ticket, target, policy, priority, dueLabel, overdue, actions, deskName, unsubscribeUrl }: TemplateProps<"sla_breach">) {
  return (
    <Layout deskName={deskName} preview={`${ticket.key}: ${target} breached`} reason={`you are the assignee or team lead of ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        The {target} target of {ticket.key} ({priority}) was breached: it was due {dueLabel} ({overdue}) under the policy “{policy}”.
      </P>
      <P>{ticket.title}</P>
      {actions.length > 0 ? <P>Escalation: {actions.join("; ")}.</P> : null}
      <UrlLine label="Open it here:" href={ticket.url} />
    </Layout>
  );
}
