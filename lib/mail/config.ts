import { env } from "@/lib/env";

/**
 * Mail settings derived from lib/env.ts (SMTP_URL, MAIL_FROM, MAIL_DOMAIN, NEXTAUTH_URL).
 * Small pure helpers, safe to call anywhere on the server.
 */

/** Whether outgoing mail is sent over SMTP (`SMTP_URL` set); otherwise it stays in the dev outbox. */
export function smtpConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

/** The From header of outgoing mail (`MAIL_FROM`, e.g. `Service Desk <help@example.com>`). */
export function mailFrom(): string {
  return env().MAIL_FROM;
}

/**
 * The bare address of `MAIL_FROM` (`help@example.com` of `Service Desk <help@example.com>`),
 * lower-cased. Inbound code uses it to recognise our own address.
 */
export function mailFromAddress(): string {
  const from = mailFrom().trim();
  const angled = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  return (angled ? angled[1] : from).toLowerCase();
}

/**
 * The domain of our Message-IDs: `MAIL_DOMAIN`, else the domain of `MAIL_FROM`'s address
 * (`localhost` when it has none).
 */
export function mailDomain(): string {
  const explicit = env().MAIL_DOMAIN;
  if (explicit) return explicit.toLowerCase();
  const addr = mailFromAddress();
  const at = addr.lastIndexOf("@");
  return at > 0 && at < addr.length - 1 ? addr.slice(at + 1) : "localhost";
}

/** Base of links in mail (`NEXTAUTH_URL`, else http://localhost:3000), without a trailing slash. */
export function mailBaseUrl(): string {
  return (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}
