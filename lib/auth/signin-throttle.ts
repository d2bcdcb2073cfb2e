import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";

/*
 * Sign-in throttle with exponential backoff, shared by every app instance (table
 * signin_failures). Not a lock-out an attacker can cause: after `freeFailures` consecutive
 * failures for a key, each further failure blocks that key for min(2^(failures − freeFailures) s,
 * 15 min). While blocked every attempt is refused, even with the right password, without
 * checking it; the block expires by itself, and a success resets the account's counter.
 * A streak older than a day starts again from zero.
 */

/** Policy per kind of key. */
export interface BackoffPolicy {
  /** Failures allowed before blocking starts. */
  freeFailures: number;
  /** Longest block, in seconds. */
  maxBlockS: number;
}

/** Per account (e-mail): 5 free failures, then 2 s, 4 s, 8 s … up to 15 min. */
export const ACCOUNT_BACKOFF: BackoffPolicy = { freeFailures: 5, maxBlockS: 15 * 60 };
/** Per client IP (many people may share one address behind NAT): 30 free failures, then the same growth. */
export const IP_BACKOFF: BackoffPolicy = { freeFailures: 30, maxBlockS: 15 * 60 };

/** After this long without a failure a key's streak starts again, in seconds. */
const STREAK_RESET_S = 24 * 3600;

/** Seconds until the longest block among `keys` ends (rounded up), or 0 when none is blocked. */
export async function blockedForS(db: DbOrTx, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const [r] = await rows<{ s: number | null }>(
    db,
    sql`SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int AS s
        FROM signin_failures WHERE key IN ${keys} AND blocked_until > now()`,
  );
  return Math.max(0, r?.s ?? 0);
}

/**
 * Count one failure for `key` in ONE atomic statement (concurrent failures on any instance all
 * count) and set its block per `policy`.
 * @returns the failure count and the block's length in seconds (0 when not blocked).
 */
export async function recordFailure(db: DbOrTx, key: string, policy: BackoffPolicy): Promise<{ failures: number; blockedForS: number }> {
  const [r] = await rows<{ failures: number; blocked_s: number | null }>(
    db,
    sql`WITH up AS (
          INSERT INTO signin_failures AS f (key, failures, last_failed_at, blocked_until)
          VALUES (${key}, 1, now(), CASE WHEN 1 > ${policy.freeFailures}::int THEN now() + interval '2 seconds' END)
          ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => ${STREAK_RESET_S}) THEN 1 ELSE f.failures + 1 END,
            last_failed_at = now(),
            blocked_until = CASE
              WHEN (CASE WHEN f.last_failed_at < now() - make_interval(secs => ${STREAK_RESET_S}) THEN 1 ELSE f.failures + 1 END) > ${policy.freeFailures}::int
              THEN now() + make_interval(secs => least(
                power(2, least((CASE WHEN f.last_failed_at < now() - make_interval(secs => ${STREAK_RESET_S}) THEN 1 ELSE f.failures + 1 END) - ${policy.freeFailures}::int, 30)),
                ${policy.maxBlockS}::int))
            END
          RETURNING f.failures, f.blocked_until
        )
        SELECT failures, ceil(extract(epoch FROM blocked_until - now()))::int AS blocked_s FROM up`,
  );
  return { failures: r.failures, blockedForS: Math.max(0, r.blocked_s ?? 0) };
}

/** Forget `key`'s failures (after a successful sign-in of that account). */
export async function resetFailures(db: DbOrTx, key: string): Promise<void> {
  await db.execute(sql`DELETE FROM signin_failures WHERE key = ${key}`);
}

/** Delete streaks that ended more than a day ago and are not blocking (keeps the table small). */
export async function pruneFailures(db: DbOrTx): Promise<void> {
  await db.execute(
    sql`DELETE FROM signin_failures WHERE last_failed_at < now() - make_interval(secs => ${STREAK_RESET_S})
        AND (blocked_until IS NULL OR blocked_until < now())`,
  );
}
