import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Transactional: an inbound mail we could not accept (e.g. unknown sender while public submissions are off). */
export function Bounce({ originalSubject, reason, deskUrl, deskName, unsubscribeUrl }: TemplateProps<"bounce">) {
  return (
    <Layout deskName={deskName} preview="Your mail to the service desk was not accepted" reason="you wrote to the service desk" unsubscribeUrl={unsubscribeUrl}>
      <P>Thank you for your mail{originalSubject ? ` "${originalSubject}"` : ""}. We could not accept it: {reason}.</P>
      <P>Nothing was filed. Please sign in to the service desk and file your request there, or ask your administrator for access.</P>
      <UrlLine label="Service desk:" href={deskUrl} />
    </Layout>
  );
}
