import { resetEnvForTests } from "@/lib/env";
import type { SmtpSink } from "./smtp-sink";

const MAIL_ENV = ["SMTP_URL", "MAIL_FROM", "NEXTAUTH_URL"] as const;

/**
 * Send the app's mail to `sink`: SMTP_URL, MAIL_FROM (`from`) and NEXTAUTH_URL (links in mail:
 * `https://desk.test`), then re-read the settings. Undo with {@link clearSinkMailEnv}.
 */
export function useSinkForMail(sink: SmtpSink, from: string): void {
  process.env.SMTP_URL = sink.url;
  process.env.MAIL_FROM = from;
  process.env.NEXTAUTH_URL = "https://desk.test";
  resetEnvForTests();
}

/** Remove what {@link useSinkForMail} set and re-read the settings. */
export function clearSinkMailEnv(): void {
  for (const k of MAIL_ENV) delete process.env[k];
  resetEnvForTests();
}
