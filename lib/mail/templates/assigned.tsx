import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Assignee: a ticket was assigned to you (by auto-assignment with its reason, or by a colleague). */
export function Assigned({ ticket, assigneeName, reason, by, roundRobin, deskName, unsubscribeUrl }: TemplateProps<"assigned">) {
  return (
    <Layout deskName={deskName} preview={`${ticket.key} was assigned to you`} reason={`${ticket.key} is assigned to you`} unsubscribeUrl={unsubscribeUrl}>
      <P>Hello {assigneeName},</P>
      <P>
        {ticket.key} was assigned to you{roundRobin ? " (round robin)" : ""}
        {by ? ` by ${by}` : ""}: {ticket.title}
      </P>
      {reason ? <P>Why you: {reason}</P> : null}
      <UrlLine label="Open it here:" href={ticket.url} />
    </Layout>
  );
}
