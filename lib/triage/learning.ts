import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { onCategoryCorrected } from "@/lib/tickets/update-ticket";
import { localModel } from "./local-classifier";
import { normalizeTicketText } from "./local/normalize";

/**
 * Learning from agents' corrections. When an agent changes a ticket's category, the ticket's
 * text with the new category is a labelled example: the local model takes it in at once
 * (`model.learn`, an in-memory correction store blended with the trained ensemble; see
 * docs/EVALUATION.md), so later similar tickets get the corrected answer — including categories
 * the trained model never saw (an admin creates "facilities", agents correct a few tickets
 * into it). Corrections live in the database (triage_decisions with overridden_by = 'agent'),
 * are replayed at start-up, and are pulled every few seconds so every app process learns the
 * corrections made in the others. A full retrain with them: `npm run train -- --extra FILE.csv`
 * (export with `npm run corrections:export`).
 */

interface SyncState {
  /** reviewed_at (PostgreSQL text) and ticket id of the last correction taken in. */
  cursor: { at: string; id: number } | null;
  learned: number;
  unsubscribe?: () => void;
  timer?: NodeJS.Timeout;
}

const globalForLearning = globalThis as unknown as { __switchboardLearning?: SyncState };
const state = (): SyncState => (globalForLearning.__switchboardLearning ??= { cursor: null, learned: 0 });

/** Most corrections replayed at start-up (newest kept). */
const MAX_REPLAY = 50_000;

/**
 * Take in every agent correction not yet learned by this process, oldest first.
 * @returns how many corrections were learned.
 */
export async function syncCorrections(db: DbOrTx): Promise<number> {
  const s = state();
  const model = localModel();
  let total = 0;
  for (;;) {
    const batch = await rows<{ at: string; id: number; title: string; description: string; category: string }>(
      db,
      s.cursor
        ? sql`SELECT d.reviewed_at::text AS at, t.id::float8 AS id, t.title, t.description, d.final_category AS category
              FROM triage_decisions d JOIN tickets t ON t.id = d.ticket_id
              WHERE d.overridden_by = 'agent' AND d.reviewed_at IS NOT NULL
                AND (d.reviewed_at, t.id) > (${s.cursor.at}::timestamptz, ${s.cursor.id})
              ORDER BY d.reviewed_at, t.id LIMIT 5000`
        : sql`SELECT * FROM (
                SELECT d.reviewed_at::text AS at, t.id::float8 AS id, t.title, t.description, d.final_category AS category
                FROM triage_decisions d JOIN tickets t ON t.id = d.ticket_id
                WHERE d.overridden_by = 'agent' AND d.reviewed_at IS NOT NULL
                ORDER BY d.reviewed_at DESC, t.id DESC LIMIT ${MAX_REPLAY}) r
              ORDER BY at, id`,
    );
    if (batch.length === 0) break;
    model.learn(batch.map((r) => ({ text: normalizeTicketText({ title: r.title, description: r.description }), label: r.category })));
    const last = batch[batch.length - 1];
    s.cursor = { at: last.at, id: Number(last.id) };
    total += batch.length;
    if (!s.cursor || batch.length < 5000) break;
  }
  s.learned += total;
  return total;
}

/**
 * Start learning in this process: replay stored corrections, learn new ones as agents make
 * them, and pull other processes' corrections every `intervalMs` (default 10,000 ms).
 */
export async function startLearning(db: DbOrTx, intervalMs = 10_000): Promise<number> {
  const s = state();
  const replayed = await syncCorrections(db);
  if (!s.unsubscribe) {
    s.unsubscribe = onCategoryCorrected((c) => {
      localModel().learn([{ text: normalizeTicketText(c.text), label: c.category }]);
    });
  }
  if (!s.timer) {
    s.timer = setInterval(() => {
      syncCorrections(db).catch((err: unknown) => logger.warn({ err }, "syncing triage corrections failed"));
    }, intervalMs);
    s.timer.unref();
  }
  return replayed;
}

/** Stop learning and forget what was learned (tests). */
export function resetLearning(): void {
  const s = state();
  s.unsubscribe?.();
  if (s.timer) clearInterval(s.timer);
  globalForLearning.__switchboardLearning = { cursor: null, learned: 0 };
  localModel().resetCorrections();
}
