import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Transactional: confirm a request filed under your address while signed out. */
export function Confirmation({ ticket, confirmUrl, ttlDays, deskName, unsubscribeUrl }: TemplateProps<"confirmation">) {
  return (
    <Layout deskName={deskName} preview={`Please confirm your request ${ticket.key}`} reason={`someone filed a request under your address`} unsubscribeUrl={unsubscribeUrl}>
      <P>Someone filed a request with the service desk under your e-mail address:</P>
      <P>
        {ticket.key}: {ticket.title}
      </P>
      <P>If it was you, confirm it here so you can follow it in your requests:</P>
      <UrlLine label="Confirm:" href={confirmUrl} />
      <P>The link works for {ttlDays} days. If it was not you, ignore this mail; the request stays unconfirmed.</P>
    </Layout>
  );
}
