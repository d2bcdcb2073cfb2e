import "server-only";
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "@/lib/env";

/** Longest wait for the TCP connection and for the server's greeting, in ms. */
export const SMTP_CONNECT_TIMEOUT_MS = 10_000;
/** Longest idle time on an open SMTP connection, in ms. */
export const SMTP_SOCKET_TIMEOUT_MS = 60_000;

let cached: { url: string; transporter: nodemailer.Transporter<SMTPTransport.SentMessageInfo> } | undefined;

/**
 * The nodemailer SMTP transport of `SMTP_URL` (`smtp://user:pass@host:587`, STARTTLS when the
 * server offers it; `smtps://…:465`, implicit TLS; nodemailer's query options such as
 * `?tls.rejectUnauthorized=false` apply). Cached per URL (a changed URL, e.g. in tests, gets a
 * new transport). One connection per message (no pool): sends are rare and run in jobs.
 * Connect/greeting timeout {@link SMTP_CONNECT_TIMEOUT_MS}, socket timeout {@link SMTP_SOCKET_TIMEOUT_MS}.
 * Attachments/HTML never read local files or URLs (`disableFileAccess`, `disableUrlAccess`).
 * @throws Error when SMTP_URL is not set.
 */
export function smtpTransport(): nodemailer.Transporter<SMTPTransport.SentMessageInfo> {
  const url = env().SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set: mail stays in the dev outbox");
  if (cached?.url === url) return cached.transporter;
  cached?.transporter.close();
  const transporter = nodemailer.createTransport(
    new SMTPTransport({
      url,
      connectionTimeout: SMTP_CONNECT_TIMEOUT_MS,
      greetingTimeout: SMTP_CONNECT_TIMEOUT_MS,
      socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
      disableFileAccess: true,
      disableUrlAccess: true,
    }),
  );
  cached = { url, transporter };
  return transporter;
}
