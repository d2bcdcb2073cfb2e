import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";

/*
 * One poller at a time per mailbox across app instances: a row in `mailbox_leases` (key, owner,
 * until). Taking and renewing is one statement, so no transaction or advisory lock is held
 * while a poller waits in IDLE; a lease whose instance died expires by itself after
 * {@link LEASE_S}. The lease is an efficiency measure, not the dedupe: ingestEmail's unique
 * Message-ID makes a message count once even when two pollers race.
 */

/** How long a lease lasts without renewal, in seconds. */
export const LEASE_S = 90;

/** A lease owner id for this process: `<host>:<pid>:<random>`. */
export function newLeaseOwner(): string {
  return `${os.hostname().slice(0, 60)}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
}

/**
 * Take or renew the lease `key` for `owner` for `seconds` (default {@link LEASE_S}): succeeds
 * when nobody holds it, it expired, or `owner` already holds it.
 * @returns true when `owner` holds the lease until now + `seconds`.
 */
export async function takeLease(db: DbOrTx, key: string, owner: string, seconds = LEASE_S): Promise<boolean> {
  const r = await rows<{ owner: string }>(
    db,
    sql`INSERT INTO mailbox_leases (key, owner, until)
        VALUES (${key}, ${owner}, now() + make_interval(secs => ${seconds}))
        ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
        WHERE mailbox_leases.until < now() OR mailbox_leases.owner = EXCLUDED.owner
        RETURNING owner`,
  );
  return r.length === 1;
}

/** Give the lease up (only when `owner` holds it), so another instance can take it at once. */
export async function releaseLease(db: DbOrTx, key: string, owner: string): Promise<void> {
  await db.execute(sql`DELETE FROM mailbox_leases WHERE key = ${key} AND owner = ${owner}`);
}
