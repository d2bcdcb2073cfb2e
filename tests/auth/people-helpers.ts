import { and, desc, eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { getAuthOptions } from "@/lib/auth/options";
import { peerHeaderName } from "@/lib/http/client-ip";

/*
 * Shared by tests/auth/people-*.test.ts: the credentials provider's authorize (what the sign-in
 * form calls) and the newest mailed link to an address, read from the dev outbox.
 */

type Req = { headers: Record<string, string> };
type Authorize = (c: Record<string, string>, req: Req) => Promise<{ id: string; role: string; email: string } | null>;

let ipCounter = 0;

/** Sign in with e-mail and password as the sign-in form does: the user, or null when refused. */
export async function signIn(email: string, password: string): Promise<{ id: string; role: string; email: string } | null> {
  const provider = getAuthOptions().providers[0] as unknown as { options: { authorize: Authorize } };
  ipCounter++;
  return provider.options.authorize({ email, password }, { headers: { [peerHeaderName()]: `198.18.${ipCounter >> 8}.${ipCounter & 255}` } });
}

/** The mails to `to` in the outbox (newest first): kind, subject, text, status. */
export async function mailsTo(db: Db, to: string, kind?: string) {
  return db
    .select({ id: mailOutbox.id, kind: mailOutbox.kind, subject: mailOutbox.subject, text: mailOutbox.textBody, html: mailOutbox.htmlBody, status: mailOutbox.status })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, to), kind ? eq(mailOutbox.kind, kind) : undefined))
    .orderBy(desc(mailOutbox.id));
}

/** The token of the newest `/invite/<token>` or `/reset-password/<token>` link mailed to `to`. */
export async function linkToken(db: Db, to: string, path: "invite" | "reset-password"): Promise<string> {
  const [m] = await mailsTo(db, to, path === "invite" ? "account_invite" : "password_reset");
  expect(m, `no ${path} mail to ${to}`).toBeTruthy();
  const match = new RegExp(`https?://[^\\s"<>]+/${path}/([A-Za-z0-9_-]{43})`).exec(m.text);
  expect(match, `no ${path} link in: ${m.text}`).toBeTruthy();
  return match![1];
}

/** Push every token of a user into the past (expiry without waiting). */
export async function expireTokens(db: Db, userId: string): Promise<void> {
  await db.execute(sql`UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = ${userId}`);
}
