import "server-only";
import { and, asc, eq, ne } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { auditEvents, mailboxes } from "@/db/schema";
import type { MailboxAction } from "@/db/schema/mail";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { encryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import type { CreateMailboxInput, UpdateMailboxInput } from "../schemas";
import { isUuid } from "@/lib/ids";

/*
 * Admin-configured IMAP mailboxes (table mailboxes): list, get, create, change, delete. Every
 * change writes an audit event (entity `mailbox`, actions mailbox.created / .updated / .deleted)
 * in the same transaction. The password is sealed with lib/crypto/secrets.ts before it reaches
 * the database; DTOs and the audit trail say only whether one is set. The IMAP_URL mailbox is
 * shown read-only ({@link envMailbox}), without its password.
 */

type Row = typeof mailboxes.$inferSelect;

/** The connection settings both kinds of mailbox show (never the password). */
interface MailboxSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  /** Whether a password is set; the value is never returned. */
  hasPassword: boolean;
  folder: string;
  processedAction: MailboxAction;
  moveTo: string | null;
}

/** A stored mailbox as the API and the admin page show it. Times ISO 8601. */
export interface MailboxDTO extends MailboxSettings {
  id: string;
  name: string;
  active: boolean;
  lastPolledAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The IMAP_URL mailbox as shown read-only. */
export interface EnvMailboxDTO extends MailboxSettings {
  source: "IMAP_URL";
  /** `user@host:port/folder` */
  display: string;
}

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can manage mailboxes");
}

/** A stored mailbox as a DTO (no password). */
export function toMailboxDTO(r: Row): MailboxDTO {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    secure: r.secure,
    username: r.username,
    hasPassword: !!r.passwordCiphertext,
    folder: r.folder,
    processedAction: r.processedAction as MailboxAction,
    moveTo: r.moveTo,
    active: r.active,
    lastPolledAt: r.lastPolledAt ? r.lastPolledAt.toISOString() : null,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** What the audit trail keeps (no password, no poll state). */
function auditState(r: Row): Record<string, unknown> {
  const { id: _i, createdAt: _c, updatedAt: _u, lastPolledAt: _p, lastError: _e, ...rest } = toMailboxDTO(r);
  return rest;
}

/**
 * The IMAP_URL mailbox parsed for display, or null when IMAP_URL is unset or not an imap(s) URL.
 * `imaps://user:pass@host:993/INBOX?action=move&moveTo=Done` → user, host, port (default 993
 * for imaps, 143 for imap), folder (default INBOX), action; the password only as `hasPassword`.
 */
export function envMailbox(imapUrl: string | undefined = env().IMAP_URL): EnvMailboxDTO | null {
  if (!imapUrl) return null;
  let u: URL;
  try {
    u = new URL(imapUrl);
  } catch {
    return null;
  }
  if (u.protocol !== "imap:" && u.protocol !== "imaps:") return null;
  const secure = u.protocol === "imaps:";
  const port = u.port ? Number(u.port) : secure ? 993 : 143;
  const username = decodeURIComponent(u.username);
  const folder = decodeURIComponent(u.pathname.replace(/^\//, "")) || "INBOX";
  const action: MailboxAction = u.searchParams.get("action") === "move" ? "move" : "flag";
  const moveTo = action === "move" ? u.searchParams.get("moveTo") : null;
  return {
    source: "IMAP_URL",
    host: u.hostname,
    port,
    secure,
    username,
    hasPassword: !!u.password,
    folder,
    processedAction: action,
    moveTo,
    display: `${username ? `${username}@` : ""}${u.hostname}:${port}/${folder}`,
  };
}

/** Stored mailboxes by name (admins). @throws ApiError 403. */
export async function listMailboxes(db: DbOrTx, actor: Principal): Promise<MailboxDTO[]> {
  assertAdmin(actor);
  const rowsFound = await db.select().from(mailboxes).orderBy(asc(mailboxes.name));
  return rowsFound.map(toMailboxDTO);
}

/** One stored mailbox (admins). @throws ApiError 403, 404. */
export async function getMailbox(db: DbOrTx, id: string, actor: Principal): Promise<MailboxDTO> {
  assertAdmin(actor);
  if (!isUuid(id)) throw new ApiError("not_found", "Mailbox not found");
  const [r] = await db.select().from(mailboxes).where(eq(mailboxes.id, id)).limit(1);
  if (!r) throw new ApiError("not_found", "Mailbox not found");
  return toMailboxDTO(r);
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: mailboxes.id })
    .from(mailboxes)
    .where(and(eq(mailboxes.name, name), exceptId ? ne(mailboxes.id, exceptId) : undefined))
    .limit(1);
  if (clash) throw new ApiError("conflict", `A mailbox called "${name}" already exists`, { field: "name" });
}

/**
 * Add a mailbox (admins); the password is stored encrypted. The pollers pick it up on their
 * next round.
 * @throws ApiError 403, 409 (name taken; `details.field` = "name").
 */
export async function createMailbox(db: DbOrTx, input: CreateMailboxInput, actor: Principal): Promise<MailboxDTO> {
  assertAdmin(actor);
  const row = await db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [r] = await tx
      .insert(mailboxes)
      .values({
        name: input.name,
        host: input.host,
        port: input.port,
        secure: input.secure,
        username: input.username,
        passwordCiphertext: encryptSecret(input.password),
        folder: input.folder,
        processedAction: input.processedAction,
        moveTo: input.processedAction === "move" ? (input.moveTo ?? null) : null,
        active: input.active,
      })
      .returning();
    await tx.insert(auditEvents).values({ entityType: "mailbox", entityId: r.id, ...actorOf(actor), action: "mailbox.created", before: null, after: auditState(r) });
    return r;
  });
  return toMailboxDTO(row);
}

async function lockMailbox(tx: Tx, id: string): Promise<Row> {
  if (!isUuid(id)) throw new ApiError("not_found", "Mailbox not found");
  const [r] = await tx.select().from(mailboxes).where(eq(mailboxes.id, id)).for("update").limit(1);
  if (!r) throw new ApiError("not_found", "Mailbox not found");
  return r;
}

/**
 * Change a mailbox (admins). Fields left out keep their value; `password` left out keeps the
 * stored one. Switching to `flag` clears `moveTo`; `move` needs a `moveTo` (sent or stored).
 * @throws ApiError 400 (move without a folder), 403, 404, 409 (name taken).
 */
export async function updateMailbox(db: DbOrTx, id: string, input: UpdateMailboxInput, actor: Principal): Promise<MailboxDTO> {
  assertAdmin(actor);
  const row = await db.transaction(async (tx) => {
    const before = await lockMailbox(tx, id);
    if (input.name !== undefined && input.name !== before.name) await assertNameFree(tx, input.name, id);
    const action = input.processedAction ?? (before.processedAction as MailboxAction);
    const moveTo = action === "move" ? (input.moveTo !== undefined ? input.moveTo : before.moveTo) : null;
    if (action === "move" && !moveTo) {
      throw new ApiError("validation_error", "Enter the folder processed mail is moved to", {
        issues: [{ path: "moveTo", code: "custom", message: "Enter the folder processed mail is moved to" }],
      });
    }
    const [after] = await tx
      .update(mailboxes)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.host !== undefined ? { host: input.host } : {}),
        ...(input.port !== undefined ? { port: input.port } : {}),
        ...(input.secure !== undefined ? { secure: input.secure } : {}),
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.password !== undefined ? { passwordCiphertext: encryptSecret(input.password) } : {}),
        ...(input.folder !== undefined ? { folder: input.folder } : {}),
        processedAction: action,
        moveTo,
        ...(input.active !== undefined ? { active: input.active } : {}),
        updatedAt: new Date(),
      })
      .where(eq(mailboxes.id, id))
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "mailbox",
      entityId: id,
      ...actorOf(actor),
      action: "mailbox.updated",
      before: auditState(before),
      after: { ...auditState(after), passwordChanged: input.password !== undefined },
    });
    return after;
  });
  return toMailboxDTO(row);
}

/** Delete a mailbox (admins); its poll lease expires by itself. @throws ApiError 403, 404. */
export async function deleteMailbox(db: DbOrTx, id: string, actor: Principal): Promise<void> {
  assertAdmin(actor);
  await db.transaction(async (tx) => {
    const before = await lockMailbox(tx, id);
    await tx.delete(mailboxes).where(eq(mailboxes.id, id));
    await tx.insert(auditEvents).values({ entityType: "mailbox", entityId: id, ...actorOf(actor), action: "mailbox.deleted", before: auditState(before), after: null });
  });
}
