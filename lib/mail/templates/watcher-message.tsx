import { Layout, MessageBody, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Watchers (CC): a public message on a ticket they watch. */
export function WatcherMessage({ ticket, author, body, deskName, unsubscribeUrl }: TemplateProps<"watcher_message">) {
  return (
    <Layout deskName={deskName} preview={`${author} wrote on ${ticket.key}`} reason={`you are in copy (CC) of ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        {author} wrote on {ticket.key}: {ticket.title}
      </P>
      <MessageBody text={body} />
      {ticket.url ? <UrlLine label="Ticket:" href={ticket.url} /> : null}
    </Layout>
  );
}
