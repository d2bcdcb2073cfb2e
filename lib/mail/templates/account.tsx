import { Layout, P, UrlLine } from "./layout";
import type { TemplateProps } from "./types";

/** "7 days", "1 day", "12 hours", "1 hour" for a TTL in hours. */
export function hoursLabel(h: number): string {
  if (h >= 24 && h % 24 === 0) return h === 24 ? "1 day" : `${h / 24} days`;
  return h === 1 ? "1 hour" : `${h} hours`;
}

/** "1 hour", "90 minutes" for a TTL in minutes. */
function minutesLabel(m: number): string {
  if (m >= 60 && m % 60 === 0) return hoursLabel(m / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}

/** Transactional: an admin invited you; the one-time link sets your first password. */
export function AccountInvite({ name, invitedBy, role, setPasswordUrl, ttlHours, deskName, unsubscribeUrl }: TemplateProps<"account_invite">) {
  return (
    <Layout deskName={deskName} preview="You are invited to the service desk" reason={`${invitedBy} invited you to the service desk`} unsubscribeUrl={unsubscribeUrl}>
      <P>Hello {name},</P>
      <P>
        {invitedBy} invited you to the service desk as {role === "admin" ? "an admin" : role === "agent" ? "an agent" : "a requester"}. Choose your password here to
        activate your account:
      </P>
      <UrlLine label="Set your password:" href={setPasswordUrl} />
      <P>The link works once, for {hoursLabel(ttlHours)}. If it has expired, ask your administrator for a new invitation.</P>
      <P>If you did not expect this, ignore this mail.</P>
    </Layout>
  );
}

/** Transactional: a one-time link to choose a new password (forgot password, or an admin's reset). */
export function PasswordReset({ name, resetUrl, ttlMinutes, deskName, unsubscribeUrl }: TemplateProps<"password_reset">) {
  return (
    <Layout deskName={deskName} preview="Reset your password" reason="a password reset was asked for your account" unsubscribeUrl={unsubscribeUrl}>
      <P>Hello {name},</P>
      <P>Someone (hopefully you, or your administrator) asked to reset the password of your service desk account. Choose a new one here:</P>
      <UrlLine label="Choose a new password:" href={resetUrl} />
      <P>The link works once, for {minutesLabel(ttlMinutes)}. Your current password stays valid until you choose a new one.</P>
      <P>If you did not ask for this, ignore this mail.</P>
    </Layout>
  );
}
