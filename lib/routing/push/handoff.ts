import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { BOSS_SCHEMA } from "@/lib/jobs/boss";
import { noteTaskEnqueued } from "@/lib/jobs/wake";
import { PUSH_TASK } from "./enqueue";

/**
 * Hand the turn of a (ticket, target) to its next push once push `pushId` is settled (done,
 * found, skipped, dead or no longer pending).
 *
 * Updates and comments reach a target in event order (lib/routing/push/deliver.ts): a push with
 * an earlier one still pending fails its attempt and pg-boss retries it after the target's retry
 * delay, doubled on each retry. Left to that backoff alone, a busy ticket's pushes went out one per
 * growing delay, and the later ones of a long queue used up their retries waiting and went dead:
 * 3,197 comments on 14 tickets left 3,060 jobs open after 300 s (docs/RELIABILITY.md). So the
 * push that settles resumes the next one at once: the earliest other pending push of the same
 * ticket and target (event order), if its `routing.push` job is waiting out a retry delay, gets
 * `start_after = now()` and this process's push workers are woken. A next push not yet tried
 * needs nothing: it will see this one settled. One whose attempt is running at that moment may
 * have looked before this one settled; it then waits out its retry delay (rare, and bounded by
 * the backoff, as before).
 *
 * pg-boss 10 has no call to start a retrying job early, so this updates its job table (schema
 * `pgboss`, a job's `singleton_key` is `push:<id>`: lib/routing/push/enqueue.ts); a test in
 * tests/routing/push-order.test.ts pins that shape.
 *
 * @returns the id of the push resumed, or null when none was waiting.
 */
export async function resumeNextPush(db: DbOrTx, pushId: number): Promise<number | null> {
  const [r] = await rows<{ id: number }>(
    db,
    sql`WITH me AS (SELECT ticket_id, target_id FROM external_pushes WHERE id = ${pushId}),
        next AS (
          SELECT p.id FROM external_pushes p, me
          WHERE p.ticket_id = me.ticket_id AND p.target_id = me.target_id AND p.status = 'pending' AND p.id <> ${pushId}
          ORDER BY p.event_id, p.id LIMIT 1
        )
        UPDATE ${sql.identifier(BOSS_SCHEMA)}.job j SET start_after = now()
        FROM next
        WHERE j.name = ${PUSH_TASK} AND j.state = 'retry' AND j.singleton_key = 'push:' || next.id AND j.start_after > now()
        RETURNING next.id::float8 AS id`,
  );
  if (!r) return null;
  noteTaskEnqueued(PUSH_TASK);
  return r.id;
}
