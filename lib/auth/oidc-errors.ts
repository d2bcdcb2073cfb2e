/*
 * Error codes of a refused single sign-on (`/signin?error=<code>`) and what the user reads.
 * No server imports: usable from any component.
 */

/** Why an SSO sign-in was refused. */
export const OIDC_ERROR_CODES = [
  "OidcDomain",
  "OidcNoEmail",
  "OidcEmailUnverified",
  "OidcNoAccount",
  "OidcInactive",
  "OidcLinkedElsewhere",
] as const;
export type OidcErrorCode = (typeof OIDC_ERROR_CODES)[number];

const TEXTS: Record<OidcErrorCode, string> = {
  OidcDomain: "Your organisation's e-mail domain is not allowed to sign in here. Ask the service desk for access.",
  OidcNoEmail: "The sign-in provider did not share your e-mail address, so we cannot sign you in. Ask your administrator.",
  OidcEmailUnverified: "Your e-mail address is not verified at the sign-in provider. Verify it there, then try again.",
  OidcNoAccount: "There is no Switchboard account for you yet. Ask the service desk to invite you.",
  OidcInactive: "Your account is deactivated. Ask the service desk if you need access again.",
  OidcLinkedElsewhere: "An account with your e-mail is already linked to another single sign-on identity. Ask the service desk.",
};

/** next-auth's own OAuth error codes (provider unreachable, state/PKCE mismatch, refused consent). */
const NEXT_AUTH_OAUTH_CODES = new Set(["OAuthSignin", "OAuthCallback", "OAuthCreateAccount", "OAuthAccountNotLinked", "Callback", "AccessDenied"]);

/**
 * The message for an SSO error code, or null when the code is not about SSO (then the
 * password form shows its own message).
 */
export function oidcErrorText(code: string | null | undefined): string | null {
  if (!code) return null;
  if ((OIDC_ERROR_CODES as readonly string[]).includes(code)) return TEXTS[code as OidcErrorCode];
  if (NEXT_AUTH_OAUTH_CODES.has(code)) return "Single sign-on did not complete. Try again, or sign in with your e-mail and password.";
  return null;
}
