import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Requester: the ticket was reopened. */
export function Reopened({ ticket, deskName, unsubscribeUrl }: TemplateProps<"reopened">) {
  return (
    <Layout deskName={deskName} preview={`${ticket.key} was reopened`} reason={`you filed ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        Your request {ticket.key} was reopened: {ticket.title}
      </P>
      <P>An agent will pick it up again.</P>
      <UrlLine label="Your request:" href={ticket.url} />
    </Layout>
  );
}
