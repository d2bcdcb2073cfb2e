import "server-only";
import { sql } from "drizzle-orm";
import { rows, type DbOrTx } from "@/db/client";
import { env } from "@/lib/env";
import { currentEventCursor, readEventsAfter, type EventCursor } from "@/lib/jobs/events";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/auth/principal";
import { localModel, localModelVersion } from "./local-classifier";

/**
 * "Similar tickets": each ticket's embedding (the local model's 128-d LSA vector, unit length)
 * is stored in ticket_embeddings (real[]) and kept in an in-process index of the newest
 * tickets; a query is a brute-force dot product over it (cosine similarity), about a
 * millisecond per 10,000 tickets. It is a cache: before a search it takes in the tickets any
 * instance created since its last refresh (at most every 2 s), from the domain event stream.
 *
 * Privacy: agents see any similar ticket; requesters only their own (other people's ticket
 * titles can be personal: HR cases, access requests).
 */
export interface SimilarTicket {
  key: string;
  title: string;
  status: string;
  /** Cosine similarity, 0–1. */
  similarity: number;
}

/** Newest tickets kept in the in-process index (SIMILAR_INDEX_MAX, default 200,000). */
const maxIndexed = () => env().SIMILAR_INDEX_MAX;
/** Below this cosine a ticket is not shown as similar. */
export const MIN_SIMILARITY = 0.5;
const REFRESH_MS = 2000;

class EmbeddingIndex {
  dim = 0;
  ids: number[] = [];
  vecs = new Float32Array(0);
  pos = new Map<number, number>();
  /** Position in the domain event stream up to which tickets are indexed. */
  cursor: EventCursor | null = null;
  lastRefresh = 0;
  version = "";
  private refreshing: Promise<void> | null = null;

  add(id: number, v: ArrayLike<number>): void {
    if (this.pos.has(id)) return;
    if (this.dim === 0) this.dim = v.length;
    if (v.length !== this.dim) return;
    const n = this.ids.length;
    if ((n + 1) * this.dim > this.vecs.length) {
      const grown = new Float32Array(Math.max(1024, (n + 1) * 2) * this.dim);
      grown.set(this.vecs);
      this.vecs = grown;
    }
    this.vecs.set(v, n * this.dim);
    this.ids.push(id);
    this.pos.set(id, n);
  }

  vector(id: number): Float32Array | null {
    const p = this.pos.get(id);
    return p === undefined ? null : this.vecs.subarray(p * this.dim, (p + 1) * this.dim);
  }

  refresh(db: DbOrTx): Promise<void> {
    if (Date.now() - this.lastRefresh < REFRESH_MS) return Promise.resolve();
    this.refreshing ??= this.load(db).finally(() => {
      this.refreshing = null;
      this.lastRefresh = Date.now();
    });
    return this.refreshing;
  }

  /**
   * First call (or after a model change): remember the event stream position, then load the
   * newest MAX_INDEXED embeddings. Later calls read the `ticket.created` events committed since
   * (commit-ordered, lib/jobs/events.ts) and load just those tickets' embeddings, so a ticket
   * created by any instance is found here within REFRESH_MS, however late its transaction commits.
   */
  private async load(db: DbOrTx): Promise<void> {
    const version = localModelVersion();
    if (version !== this.version || !this.cursor) {
      Object.assign(this, { dim: 0, ids: [], vecs: new Float32Array(0), pos: new Map(), version });
      this.cursor = await currentEventCursor(db);
      const [m] = await rows<{ max: number | null }>(db, sql`SELECT max(ticket_id)::float8 AS max FROM ticket_embeddings`);
      let from = Math.max(0, Number(m?.max ?? 0) - maxIndexed());
      for (;;) {
        const batch = await rows<{ id: number; e: number[] | string }>(
          db,
          sql`SELECT ticket_id::float8 AS id, embedding AS e FROM ticket_embeddings
              WHERE ticket_id > ${from} AND model = ${version} ORDER BY ticket_id LIMIT 10000`,
        );
        this.addRows(batch);
        if (batch.length < 10000) break;
        from = Number(batch[batch.length - 1].id);
      }
      return;
    }
    for (;;) {
      const { events, cursor } = await readEventsAfter(db, this.cursor, { types: ["ticket.created"], limit: 5000 });
      this.cursor = cursor;
      const ids = events.map((e) => e.ticketId).filter((id): id is number => id !== null && !this.pos.has(id));
      if (ids.length) {
        this.addRows(
          await rows<{ id: number; e: number[] | string }>(
            db,
            sql`SELECT ticket_id::float8 AS id, embedding AS e FROM ticket_embeddings
                WHERE model = ${version} AND ticket_id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)}) ORDER BY ticket_id`,
          ),
        );
      }
      if (events.length < 5000) break;
    }
  }

  private addRows(batch: { id: number; e: number[] | string }[]): void {
    for (const r of batch) this.add(Number(r.id), typeof r.e === "string" ? r.e.slice(1, -1).split(",").map(Number) : r.e);
  }

  /** Top-k ids by dot product among those `allow` accepts. */
  search(q: Float32Array, k: number, allow?: (id: number) => boolean): { id: number; sim: number }[] {
    const out: { id: number; sim: number }[] = [];
    const d = this.dim;
    if (d === 0 || q.length !== d) return out;
    for (let i = 0; i < this.ids.length; i++) {
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) s += q[j] * this.vecs[o + j];
      if (s < MIN_SIMILARITY) continue;
      if (out.length === k && s <= out[k - 1].sim) continue;
      const id = this.ids[i];
      if (allow && !allow(id)) continue;
      out.push({ id, sim: s });
      out.sort((a, b) => b.sim - a.sim);
      if (out.length > k) out.pop();
    }
    return out;
  }
}

const globalForIndex = globalThis as unknown as { __switchboardSimilar?: EmbeddingIndex };
const index = () => (globalForIndex.__switchboardSimilar ??= new EmbeddingIndex());

/** The embedding of a normalised ticket text, with the model version that made it. */
export function embedTicket(normalized: string): { model: string; vector: Float32Array } {
  return { model: localModelVersion(), vector: localModel().embed(normalized) };
}

/** A vector as a PostgreSQL real[] literal, 6 decimals (unit vectors: ample for cosine ranking). */
export function vectorLiteral(v: Float32Array): string {
  let out = "{";
  for (let i = 0; i < v.length; i++) {
    if (i) out += ",";
    out += Math.round(v[i] * 1e6) / 1e6;
  }
  return `${out}}`;
}

/** Candidates taken from the index when results are filtered by status or resolution. */
const MAX_FILTERED_CANDIDATES = 200;

/**
 * Up to `limit` existing tickets most similar to a text (cosine ≥ 0.5), most similar first,
 * that the caller may see.
 * @param normalized normalizeTicketText output of the new ticket.
 * @param opts.statuses only tickets in these statuses; `withResolution`: only tickets with a
 *   non-empty resolution. Filtering looks at the nearest {@link MAX_FILTERED_CANDIDATES}
 *   candidates (or `limit × 20`, whichever is smaller), so a match beyond them is not found.
 * @param opts.scope `all`: search every ticket whatever the caller may see, for callers that
 *   show only agent-written fields of the matches (self-service deflection, lib/portal/deflection.ts);
 *   default `visible` (the privacy rule above).
 */
export async function findSimilarTickets(
  db: DbOrTx,
  normalized: string,
  principal: Principal | null,
  opts: { limit?: number; excludeKey?: string; statuses?: readonly string[]; withResolution?: boolean; scope?: "visible" | "all" } = {},
): Promise<SimilarTicket[]> {
  const limit = opts.limit ?? 5;
  const filtered = opts.statuses !== undefined || opts.withResolution === true;
  const k = filtered ? Math.min(MAX_FILTERED_CANDIDATES, limit * 20) : limit;
  const idx = index();
  await idx.refresh(db);
  const q = localModel().embed(normalized);
  const excludeId = opts.excludeKey ? Number(opts.excludeKey.slice(2)) : -1;

  let hits: { id: number; sim: number }[];
  if (isStaff(principal) || opts.scope === "all") {
    hits = idx.search(q, k, (id) => id !== excludeId);
  } else {
    if (!principal?.email) return [];
    const own = await rows<{ id: number }>(
      db,
      sql`SELECT id::float8 AS id FROM tickets WHERE requester_email = ${principal.email} AND requester_verified
          ORDER BY created_at DESC LIMIT 1000`,
    );
    hits = [];
    for (const { id } of own) {
      const v = idx.vector(Number(id));
      if (!v || Number(id) === excludeId) continue;
      let s = 0;
      for (let j = 0; j < v.length; j++) s += q[j] * v[j];
      if (s >= MIN_SIMILARITY) hits.push({ id: Number(id), sim: s });
    }
    hits = hits.sort((a, b) => b.sim - a.sim).slice(0, k);
  }
  if (hits.length === 0) return [];
  const ids = hits.map((h) => h.id);
  const found = await rows<{ id: number; key: string; title: string; status: string }>(
    db,
    sql`SELECT id::float8 AS id, key, title, status::text AS status FROM tickets WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})
        ${opts.statuses ? (opts.statuses.length ? sql`AND status::text IN (${sql.join(opts.statuses.map((st) => sql`${st}`), sql`, `)})` : sql`AND false`) : sql``}
        ${opts.withResolution ? sql`AND btrim(coalesce(resolution, '')) <> ''` : sql``}`,
  );
  const byId = new Map(found.map((r) => [Number(r.id), r]));
  return hits
    .filter((h) => byId.has(h.id))
    .slice(0, limit)
    .map((h) => ({ key: byId.get(h.id)!.key, title: byId.get(h.id)!.title, status: byId.get(h.id)!.status, similarity: Math.min(1, Math.round(h.sim * 1000) / 1000) }));
}

/** Add a just-created ticket to this process's index without waiting for the next refresh. */
export function indexTicket(id: number, embedding: { model: string; vector: Float32Array }): void {
  const idx = index();
  if (idx.version !== embedding.model) return; // not loaded yet; the next refresh reads it from the table
  idx.add(id, embedding.vector);
}

/** Drop the in-process index (tests). */
export function resetSimilarIndex(): void {
  globalForIndex.__switchboardSimilar = undefined;
}
