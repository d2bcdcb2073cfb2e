import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** Transactional: you were added as an agent (no password link: the password flow sends its own). */
export function Invitation({ name, teamName, deskUrl, deskName, unsubscribeUrl }: TemplateProps<"invitation">) {
  return (
    <Layout deskName={deskName} preview="You were added to the service desk" reason="an administrator added you as an agent" unsubscribeUrl={unsubscribeUrl}>
      <P>Hello {name},</P>
      <P>
        You have been added as an agent to the service desk{teamName ? ` in the ${teamName} team` : ""}, so tickets that match your skills can be
        assigned to you.
      </P>
      <P>You cannot sign in yet: you will get a separate message to choose a password.</P>
      <UrlLine label="The desk is at" href={deskUrl} />
      <P>If you think this is a mistake, reply to your service-desk administrator.</P>
    </Layout>
  );
}
