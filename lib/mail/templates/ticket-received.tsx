import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Requester: we received your request (with its key). */
export function TicketReceived({ ticket, deskName, unsubscribeUrl }: TemplateProps<"ticket_received">) {
  return (
    <Layout deskName={deskName} preview={`We received your request ${ticket.key}`} reason={`you filed ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        We received your request and filed it as {ticket.key}: {ticket.title}
      </P>
      <P>An agent will look at it soon. Reply to this mail to add information; keep {ticket.key} in the subject.</P>
      <UrlLine label="Follow it here:" href={ticket.url} />
    </Layout>
  );
}
