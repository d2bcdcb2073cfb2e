import { hoursLabel } from "./account";
import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Transactional: you were added as an agent; the one-time link sets your first password. */
export function Invitation({ name, teamName, deskUrl, setPasswordUrl, ttlHours, deskName, unsubscribeUrl }: TemplateProps<"invitation">) {
  return (
    <Layout deskName={deskName} preview="You were added to the service desk" reason="an administrator added you as an agent" unsubscribeUrl={unsubscribeUrl}>
      <P>Hello {name},</P>
      <P>
        You have been added as an agent to the service desk{teamName ? ` in the ${teamName} team` : ""}, so tickets that match your skills can be
        assigned to you.
      </P>
      <P>Choose your password here to sign in:</P>
      <UrlLine label="Set your password:" href={setPasswordUrl} />
      <P>
        The link works once, for {hoursLabel(ttlHours)}. If it has expired, ask your administrator for a new invitation. Where your organisation signs in with
        single sign-on, you can use that instead.
      </P>
      <UrlLine label="The desk is at" href={deskUrl} />
      <P>If you think this is a mistake, reply to your service-desk administrator.</P>
    </Layout>
  );
}
