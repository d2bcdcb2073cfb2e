/*
 * The sign-in error codes next-auth passes to the client (`signIn(...).error`, `/signin?error=`).
 * No server imports: the sign-in form uses this too.
 */

/** Prefix of the code for a throttled sign-in: `TooManyAttempts:<seconds>`. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

/** The error message authorize() throws for a throttled sign-in. */
export function tooManyAttemptsCode(seconds: number): string {
  return `${TOO_MANY_ATTEMPTS}:${Math.max(1, Math.ceil(seconds))}`;
}

/** Seconds to wait from a `TooManyAttempts:<seconds>` code, or null for any other code. */
export function tooManyAttemptsSeconds(code: string | null | undefined): number | null {
  const m = /^TooManyAttempts:(\d{1,6})$/.exec(code ?? "");
  return m ? Number(m[1]) : null;
}

/** What the user reads for a sign-in error code. */
export function signInErrorText(code: string | null | undefined): string {
  const wait = tooManyAttemptsSeconds(code);
  if (wait !== null) return `Too many attempts, try again in ${wait} s.`;
  if (code === "SessionRequired") return "Please sign in to continue.";
  if (code === "CredentialsSignin" || !code) return "That e-mail and password do not match an account. Check them and try again.";
  return "Sign-in failed; please try again.";
}
