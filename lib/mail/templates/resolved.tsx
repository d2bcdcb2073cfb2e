import { Layout, MessageBody, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Requester: resolved, with the resolution, a link to reopen (the portal page) and the satisfaction question (its `#rate` section). */
export function Resolved({ ticket, resolution, reopenUrl, reopenWindowDays, deskName, unsubscribeUrl }: TemplateProps<"resolved">) {
  return (
    <Layout deskName={deskName} preview={`${ticket.key} was resolved`} reason={`you filed ${ticket.key}`} unsubscribeUrl={unsubscribeUrl}>
      <P>
        Your request {ticket.key} was resolved: {ticket.title}
      </P>
      {resolution ? <MessageBody text={resolution} /> : null}
      <P>
        Not solved? Reply within {reopenWindowDays} days to reopen it, here or on the request page.
      </P>
      <UrlLine label="Reopen:" href={reopenUrl} />
      <P>How did we do? Rate our help, Good or Bad, on the request page.</P>
      <UrlLine label="Rate:" href={`${reopenUrl}#rate`} />
    </Layout>
  );
}
