import "server-only";
import crypto from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { mailboxes } from "@/db/schema";
import type { MailboxAction } from "@/db/schema/mail";
import { decryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";

/*
 * The mailboxes the IMAP poller reads: the one `IMAP_URL` names (key `env`) and the active rows
 * of `mailboxes` (key `db:<id>`, password opened with lib/crypto/secrets.ts). Read again on
 * every supervisor cycle, so an admin's change applies without a restart.
 */

/** Everything needed to poll one mailbox. `pass` is the plaintext password: never log it. */
export interface MailboxConfig {
  /** `env` (IMAP_URL) or `db:<mailbox id>`: the lease key and the `imap:<key>` ingest source. */
  key: string;
  /** Row id for `db:` mailboxes (lastPolledAt/lastError are written there), null for `env`. */
  mailboxId: string | null;
  /** For logs: `user@host:port/folder`. */
  label: string;
  host: string;
  port: number;
  /** Implicit TLS; false = plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  /** Accept a self-signed or otherwise unverifiable certificate (`tlsInsecure=1`; test servers only). */
  tlsInsecure: boolean;
  user: string;
  pass: string;
  folder: string;
  action: MailboxAction;
  /** Target folder when `action` is `move`. */
  moveTo: string | null;
  /**
   * Changes whenever anything above changes (a hash, not the password): the supervisor restarts
   * a mailbox's poller when its fingerprint differs.
   */
  fingerprint: string;
}

/** A mailbox that could not be configured (bad IMAP_URL, a password no key opens). */
export interface MailboxConfigError {
  key: string;
  mailboxId: string | null;
  error: string;
}

function fingerprintOf(c: Omit<MailboxConfig, "fingerprint" | "label">): string {
  return crypto.createHash("sha256").update(JSON.stringify(c)).digest("hex").slice(0, 16);
}

function finish(c: Omit<MailboxConfig, "fingerprint" | "label">): MailboxConfig {
  return { ...c, label: `${c.user}@${c.host}:${c.port}/${c.folder}`, fingerprint: fingerprintOf(c) };
}

/**
 * Parse an IMAP_URL: `imaps://user:pass@host:993/INBOX?action=flag|move&moveTo=X&tlsInsecure=1`.
 * User and password are percent-decoded; the port defaults to 993 (imaps) or 143 (imap); the
 * folder (the path, percent-decoded) to INBOX; the action to `flag`.
 * @throws Error naming the problem: not a URL, another scheme, no user or password, an unknown
 *   action, `move` without `moveTo` (or moving into the polled folder itself).
 */
export function parseImapUrl(url: string, key = "env"): MailboxConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("IMAP_URL is not a URL");
  }
  if (u.protocol !== "imap:" && u.protocol !== "imaps:") throw new Error(`IMAP_URL must start with imap:// or imaps://, not ${u.protocol}//`);
  const secure = u.protocol === "imaps:";
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  if (!user || !pass) throw new Error("IMAP_URL needs a user and a password (imaps://user:pass@host/INBOX)");
  if (!u.hostname) throw new Error("IMAP_URL has no host");
  const folder = decodeURIComponent(u.pathname.replace(/^\/+/, "")) || "INBOX";
  const action = u.searchParams.get("action") ?? "flag";
  if (action !== "flag" && action !== "move") throw new Error(`IMAP_URL action must be flag or move, not ${action}`);
  const moveTo = action === "move" ? (u.searchParams.get("moveTo") ?? "").trim() : null;
  if (action === "move" && !moveTo) throw new Error("IMAP_URL action=move needs moveTo=<folder>");
  if (moveTo !== null && moveTo === folder) throw new Error("IMAP_URL moveTo must differ from the polled folder");
  const tls = u.searchParams.get("tlsInsecure");
  return finish({
    key,
    mailboxId: null,
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    tlsInsecure: tls === "1" || tls === "true",
    user,
    pass,
    folder,
    action,
    moveTo,
  });
}

/**
 * The mailboxes to poll now: IMAP_URL's (when set) and the active `mailboxes` rows, by name.
 * A mailbox that cannot be configured is returned in `errors` instead (and skipped), so one bad
 * row does not stop the others.
 */
export async function loadMailboxConfigs(db: DbOrTx, imapUrl: string | undefined = env().IMAP_URL): Promise<{ mailboxes: MailboxConfig[]; errors: MailboxConfigError[] }> {
  const out: MailboxConfig[] = [];
  const errors: MailboxConfigError[] = [];
  if (imapUrl) {
    try {
      out.push(parseImapUrl(imapUrl));
    } catch (err) {
      errors.push({ key: "env", mailboxId: null, error: (err as Error).message });
    }
  }
  const rowsFound = await db.select().from(mailboxes).where(eq(mailboxes.active, true)).orderBy(asc(mailboxes.name));
  for (const r of rowsFound) {
    const key = `db:${r.id}`;
    let pass: string;
    try {
      pass = decryptSecret(r.passwordCiphertext);
    } catch (err) {
      errors.push({ key, mailboxId: r.id, error: `the password cannot be opened: ${(err as Error).message}` });
      continue;
    }
    const action: MailboxAction = r.processedAction === "move" ? "move" : "flag";
    out.push(
      finish({
        key,
        mailboxId: r.id,
        host: r.host,
        port: r.port,
        secure: r.secure,
        tlsInsecure: false,
        user: r.username,
        pass,
        folder: r.folder,
        action,
        moveTo: action === "move" ? r.moveTo : null,
      }),
    );
  }
  return { mailboxes: out, errors };
}
