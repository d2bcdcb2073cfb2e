import "server-only";
import { inArray, sql } from "drizzle-orm";
import { rows, type Db, type DbOrTx } from "@/db/client";
import { categories, categoryExamples, tickets } from "@/db/schema";
import { currentEventCursor, readEventsAfter, type EventCursor } from "@/lib/jobs/events";
import { startPeriodic, type RunningTask } from "@/lib/jobs/periodic";
import { onCategoryCorrected } from "@/lib/tickets/update-ticket";
import { localModel } from "./local-classifier";
import { normalizeTicketText } from "./local/normalize";

/**
 * Learning from agents' corrections. When an agent changes a ticket's category, the ticket's
 * text with the new category is a labelled example: the local model takes it in at once
 * (`model.learn`, an in-memory correction store blended with the trained ensemble; see
 * docs/EVALUATION.md), so later similar tickets get the corrected answer — including categories
 * the trained model never saw (an admin creates "facilities", agents correct a few tickets
 * into it).
 *
 * The learned corrections are a per-process cache of the database:
 * - at start-up every stored correction is replayed (triage_decisions with overridden_by = 'agent');
 * - the process that made a correction learns it right after commit;
 * - every process tails the domain event stream (`ticket.updated` events whose changes hold a
 *   category) every 10 s. The stream is commit-ordered (lib/jobs/events.ts), so a correction
 *   whose transaction commits late is still seen; a timestamp cursor (reviewed_at, the
 *   transaction's start) could fall behind it and lose it.
 * Each (ticket, category) is learned once per process. A full retrain with them:
 * `npm run train -- --extra FILE.csv` (export with `npm run corrections:export`).
 *
 * Admins' example tickets of a category (category_examples, issue #13 §4) take the same path:
 * replayed at start-up (with the description of each category that has examples, as a weak
 * example) and tailed as `category.example_added` events, so a new category is served by every
 * process within one sync interval of its creation.
 */

interface SyncState {
  cursor: EventCursor | null;
  learned: number;
  /** ticket id → category learned for it in this process (so nothing is learned twice). */
  labels: Map<number, string>;
  /** category_examples ids learned in this process */
  examples?: Set<number>;
  /** categories whose description was learned in this process */
  described?: Set<string>;
  unsubscribe?: () => void;
  task?: RunningTask;
}

const globalForLearning = globalThis as unknown as { __switchboardLearning?: SyncState };
const state = (): SyncState => (globalForLearning.__switchboardLearning ??= { cursor: null, learned: 0, labels: new Map() });

/** Most corrections replayed at start-up (newest kept). */
const MAX_REPLAY = 50_000;
/** How often each process pulls other processes' corrections, in ms. */
export const LEARNING_SYNC_MS = 10_000;

function learnAll(s: SyncState, items: { id: number; title: string; description: string; category: string }[]): number {
  const fresh = items.filter((r) => s.labels.get(Number(r.id)) !== r.category);
  if (fresh.length === 0) return 0;
  localModel().learn(fresh.map((r) => ({ text: normalizeTicketText({ title: r.title, description: r.description }), label: r.category })));
  for (const r of fresh) s.labels.set(Number(r.id), r.category);
  s.learned += fresh.length;
  return fresh.length;
}

interface ExampleRow {
  id: number;
  category: string;
  title: string;
  description: string;
}

/** Learn admins' example tickets not yet learned here, and each new category's description once. */
async function learnExamples(db: DbOrTx, s: SyncState, items: ExampleRow[]): Promise<number> {
  const seen = (s.examples ??= new Set());
  const described = (s.described ??= new Set());
  const fresh = items.filter((r) => !seen.has(Number(r.id)));
  if (fresh.length === 0) return 0;
  const model = localModel();
  const undescribed = [...new Set(fresh.map((r) => r.category))].filter((c) => !described.has(c) && !model.baseLabels.includes(c));
  if (undescribed.length) {
    const descs = await db
      .select({ slug: categories.slug, description: categories.description })
      .from(categories)
      .where(inArray(categories.slug, undescribed));
    for (const d of descs) {
      if (d.description.trim()) model.learnDescription(d.slug, normalizeTicketText({ description: d.description }));
      described.add(d.slug);
    }
  }
  model.learn(fresh.map((r) => ({ text: normalizeTicketText({ title: r.title, description: r.description }), label: r.category })));
  for (const r of fresh) seen.add(Number(r.id));
  s.learned += fresh.length;
  return fresh.length;
}

/**
 * Take in every agent correction not yet learned by this process: on the first call, replay
 * the stored ones (newest 50,000); afterwards, those in the event stream since the last call.
 * @returns how many corrections were learned now.
 */
export async function syncCorrections(db: DbOrTx): Promise<number> {
  const s = state();
  if (!s.cursor) {
    // Position first, then replay: a correction committed in between is in both and learned once.
    s.cursor = await currentEventCursor(db);
    const replay = await rows<{ id: number; title: string; description: string; category: string }>(
      db,
      sql`SELECT * FROM (
            SELECT t.id::float8 AS id, t.title, t.description, d.final_category AS category, d.reviewed_at
            FROM triage_decisions d JOIN tickets t ON t.id = d.ticket_id
            WHERE d.overridden_by = 'agent' AND d.reviewed_at IS NOT NULL
            ORDER BY d.reviewed_at DESC, t.id DESC LIMIT ${MAX_REPLAY}) r
          ORDER BY reviewed_at, id`,
    );
    // Admins' examples first: corrections are newer evidence and win on an identical text.
    const examples = await db
      .select({ id: categoryExamples.id, category: categoryExamples.categorySlug, title: categoryExamples.title, description: categoryExamples.description })
      .from(categoryExamples)
      .orderBy(categoryExamples.id);
    return (await learnExamples(db, s, examples)) + learnAll(s, replay);
  }
  let total = 0;
  for (;;) {
    const { events, cursor } = await readEventsAfter(db, s.cursor, { types: ["ticket.updated", "category.example_added"], limit: 5000 });
    const corrections = new Map<number, string>();
    const examples: ExampleRow[] = [];
    for (const e of events) {
      if (e.type === "category.example_added") {
        const p = e.payload as Partial<ExampleRow> & { exampleId?: unknown };
        if (typeof p.category === "string" && typeof p.description === "string" && typeof p.exampleId === "number")
          examples.push({ id: p.exampleId, category: p.category, title: typeof p.title === "string" ? p.title : "", description: p.description });
        continue;
      }
      const change = (e.payload.changes as Record<string, { to?: unknown }> | undefined)?.category;
      if (e.ticketId !== null && typeof change?.to === "string") corrections.set(e.ticketId, change.to);
    }
    total += await learnExamples(db, s, examples);
    if (corrections.size) {
      const texts = await db
        .select({ id: tickets.id, title: tickets.title, description: tickets.description })
        .from(tickets)
        .where(inArray(tickets.id, [...corrections.keys()]));
      total += learnAll(
        s,
        texts.map((t) => ({ id: Number(t.id), title: t.title, description: t.description, category: corrections.get(Number(t.id))! })),
      );
    }
    s.cursor = cursor;
    if (events.length < 5000) break;
  }
  return total;
}

/**
 * Start learning in this process: replay stored corrections, learn new ones as agents here
 * make them, and pull other processes' corrections every `intervalMs` (default 10,000 ms;
 * failures are logged and counted as `learning.sync`).
 * @returns how many corrections were replayed.
 */
export async function startLearning(db: Db, intervalMs = LEARNING_SYNC_MS): Promise<number> {
  const s = state();
  const replayed = await syncCorrections(db);
  s.unsubscribe ??= onCategoryCorrected((c) => {
    learnAll(s, [{ id: c.ticketId, title: c.text.title, description: c.text.description, category: c.category }]);
  });
  s.task ??= startPeriodic(db, { name: "learning.sync", intervalMs, run: syncCorrections });
  return replayed;
}

/** Stop learning and forget what was learned (tests; a fresh process). */
export function resetLearning(): void {
  const s = state();
  s.unsubscribe?.();
  void s.task?.stop();
  globalForLearning.__switchboardLearning = { cursor: null, learned: 0, labels: new Map() };
  localModel().resetCorrections();
}
