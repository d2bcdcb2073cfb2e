import { Layout, MessageBody, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Requester: the ticket waits on them (status waiting, reason requester). */
export function WaitingOnYou({ ticket, message, deskName, unsubscribeUrl }: TemplateProps<"waiting_on_you">) {
  return (
    <Layout deskName={deskName} preview={`${ticket.key} waits on your answer`} reason={`you filed ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        Your request {ticket.key} waits on you: {ticket.title}
      </P>
      {message ? (
        <>
          <P>The last message from the service desk:</P>
          <MessageBody text={message} />
        </>
      ) : null}
      <P>Reply to this mail, or on the request page, and we continue.</P>
      <UrlLine label="Your request:" href={ticket.url} />
    </Layout>
  );
}
