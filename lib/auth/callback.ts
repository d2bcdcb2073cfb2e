/* Client-safe (no server imports): the sign-in form uses it in the browser too. */

/** Longest callback value considered, in characters (longer ones are dropped, not truncated). */
export const CALLBACK_MAX_LENGTH = 2000;

/** Any origin that cannot be a real one: the reference for resolving paths when the caller has none. */
const PLACEHOLDER_ORIGIN = "http://switchboard.invalid";

/**
 * A same-origin path (`/path?query#hash`) to return to after signing in, or null.
 *
 * The value is resolved the way a browser would, with `new URL(value, origin)`, and accepted
 * only when the result is on `origin` (default: any path on this site). That rejects what the
 * browser reads as another site even when it starts with "/": tabs and newlines (`/\t/evil`
 * becomes `//evil`), backslashes (`/\evil`), `//evil`, `https://evil`, `javascript:`. The path
 * returned is the parsed, percent-encoded one (never raw control or non-ASCII characters, which
 * made the redirect header invalid), and never starts with `//` (`/.//evil` resolves to `//evil`).
 * @param raw the callbackUrl query value (first one when repeated)
 * @param origin e.g. `https://desk.example.com`; absolute URLs on it are reduced to their path
 */
export function safeCallbackPath(raw: string | string[] | null | undefined, origin?: string): string | null {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v || v.length > CALLBACK_MAX_LENGTH) return null;
  let base: URL;
  let u: URL;
  try {
    base = new URL(origin ?? PLACEHOLDER_ORIGIN);
    u = new URL(v, base);
  } catch {
    return null;
  }
  if (u.origin !== base.origin) return null;
  const path = `${u.pathname}${u.search}${u.hash}`;
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return null;
  return path;
}
