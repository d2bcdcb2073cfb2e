import { Layout, MessageBody, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Requester: an agent's public reply, with its text. */
export function AgentReply({ ticket, author, body, deskName, unsubscribeUrl }: TemplateProps<"agent_reply">) {
  return (
    <Layout deskName={deskName} preview={`${author} replied on ${ticket.key}`} reason={`you filed ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        {author} replied to your request {ticket.key}: {ticket.title}
      </P>
      <MessageBody text={body} />
      <P>Reply to this mail to answer.</P>
      <UrlLine label="View the conversation:" href={ticket.url} />
    </Layout>
  );
}
