import { Layout, MessageBody, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Team members: a new ticket landed on the team and nobody is assigned. */
export function TeamNewTicket({ ticket, teamName, requester, priority, description, deskName, unsubscribeUrl }: TemplateProps<"team_new_ticket">) {
  const excerpt = description.length > 1000 ? `${description.slice(0, 1000)}…` : description;
  return (
    <Layout deskName={deskName} preview={`New ticket for ${teamName}: ${ticket.key}`} reason={`you are a member of ${teamName}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        A new ticket for {teamName} has no assignee yet: {ticket.key}: {ticket.title}
      </P>
      <P>
        From {requester}, priority {priority}.
      </P>
      <MessageBody text={excerpt} />
      <UrlLine label="Take it here:" href={ticket.url} />
    </Layout>
  );
}
