import fs from "node:fs";
import path from "node:path";
import { CHECKSUM_TABLES, type DbStats } from "./manifest";

/** Runs one SQL text (no parameters) and returns its rows; works over postgres.js and PGlite. */
export type SqlRunner = (text: string) => Promise<Record<string, unknown>[]>;

/**
 * Settings that make a row's text form independent of the session, so checksums match between
 * the backed-up and the restored database. Run them in the session (or transaction) first.
 */
export const DETERMINISTIC_SESSION_SQL = ["SET TIME ZONE 'UTC'", "SET datestyle = 'ISO, MDY'", "SET extra_float_digits = 1", "SET intervalstyle = 'postgres'"];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Fingerprint the database seen by `q` (call inside one snapshot for a consistent result): the
 * applied migrations, the row count of every table in `public`, and for tickets,
 * ticket_comments and audit_events an md5 over their rows (order-independent: the md5s of the
 * rows' text forms, sorted bytewise, hashed again).
 * Run {@link DETERMINISTIC_SESSION_SQL} on the same session first.
 */
export async function collectStats(q: SqlRunner): Promise<DbStats> {
  const tables = (await q("SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => String(r.name));
  const out: DbStats = { migrations: await migrationLevel(q), tables: {} };
  for (const t of tables) {
    if ((CHECKSUM_TABLES as readonly string[]).includes(t)) {
      const [r] = await q(
        `SELECT count(*)::int AS n, coalesce(md5(string_agg(h, '' ORDER BY h COLLATE "C")), md5('')) AS sum FROM (SELECT md5(x::text) AS h FROM ${ident(t)} x) s`,
      );
      out.tables[t] = { rows: Number(r.n), checksum: String(r.sum) };
    } else {
      const [r] = await q(`SELECT count(*)::int AS n FROM ${ident(t)}`);
      out.tables[t] = { rows: Number(r.n) };
    }
  }
  return out;
}

async function migrationLevel(q: SqlRunner): Promise<DbStats["migrations"]> {
  const [exists] = await q("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok");
  if (!exists?.ok) return { count: 0, latest: null };
  const [r] = await q("SELECT count(*)::int AS n, max(created_at)::text AS newest FROM drizzle.__drizzle_migrations");
  const newest = r.newest == null ? null : Number(r.newest);
  let latest: string | null = newest === null ? null : String(newest);
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(process.cwd(), "db", "migrations", "meta", "_journal.json"), "utf8")) as { entries: { when: number; tag: string }[] };
    latest = journal.entries.find((e) => e.when === newest)?.tag ?? latest;
  } catch {
    // no journal next to us: keep the timestamp
  }
  return { count: Number(r.n), latest };
}

/**
 * Whether a database holds no Switchboard data: no table in `public` and no drizzle migrations
 * schema. A restore goes only into such a database.
 */
export async function isEmptyDatabase(q: SqlRunner): Promise<{ empty: boolean; tables: number }> {
  const [r] = await q(
    "SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables, (SELECT count(*)::int FROM pg_namespace WHERE nspname = 'drizzle') AS drizzle",
  );
  return { empty: Number(r.tables) === 0 && Number(r.drizzle) === 0, tables: Number(r.tables) };
}
