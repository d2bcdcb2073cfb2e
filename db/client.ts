import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { dataDir, env } from "@/lib/env";
import { postgresJsTarget } from "./connection-url";
import { ensurePrivateDir, lockFolder, restrictTree } from "./pglite-folder";
import * as schema from "./schema";

/** The drizzle database, whichever driver is underneath (PGlite or postgres.js). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; query functions accept `Db | Tx` so callers can compose them. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type DbKind = "pglite" | "postgres";

interface DbHandle {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
/** Arbitrary constant key for the migration advisory lock. */
const MIGRATION_LOCK_KEY = 7305200001;

// One instance per process: Next.js may load this module several times (route handlers and
// pages get separate module copies in the production server), so the handle lives on globalThis.
const globalForDb = globalThis as unknown as { __switchboardDb?: Promise<DbHandle> };

/**
 * The process-wide database, opened lazily on first use (never at import time, so
 * `next build` does not open it) and migrated to the latest committed migration.
 *
 * - `DATABASE_URL` set: postgres.js pool (`DATABASE_POOL_MAX` connections).
 * - unset: PGlite stored under `DATA_DIR/pglite` (or in memory when `DATA_DIR=memory://`),
 *   guarded by a lock so a second process gets a clear error instead of corrupting it.
 *
 * @throws Error when the PGlite folder is locked by another live process, or when migration fails.
 */
export function getDb(): Promise<Db> {
  return getDbHandle().then((h) => h.db);
}

/** Like {@link getDb} but also tells which driver is in use. */
export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__switchboardDb) {
    globalForDb.__switchboardDb = openDb().catch((err: unknown) => {
      globalForDb.__switchboardDb = undefined;
      throw err;
    });
  }
  return globalForDb.__switchboardDb;
}

/** Close the process-wide database (flushes PGlite, releases its folder lock). Safe to call twice. */
export async function closeDb(): Promise<void> {
  const pending = globalForDb.__switchboardDb;
  globalForDb.__switchboardDb = undefined;
  if (pending) {
    const h = await pending.catch(() => undefined);
    await h?.close();
  }
}

async function openDb(): Promise<DbHandle> {
  const url = env().DATABASE_URL;
  return url ? openPostgres(url) : openPglite();
}

/**
 * Apply every pending migration in db/migrations to the PostgreSQL database at `url`, on a
 * dedicated connection holding a session advisory lock ({@link MIGRATION_LOCK_KEY}): several
 * instances starting together queue on the lock, the first applies the migrations and the
 * others find nothing left to do, so each migration runs exactly once. The lock goes with the
 * connection, so a process that dies mid-migration never leaves it held.
 * @throws the migration's error (its transaction is rolled back); closing the connection releases the lock.
 */
export async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const target = postgresJsTarget(url);
  const migrationClient = postgres(target.url, { max: 1, ...target.options, onnotice: () => {}, connection: { application_name: "switchboard-migrate" } });
  try {
    await migrationClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(migrationClient, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    await migrationClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migrationClient.end({ timeout: 5 });
  }
}

/**
 * Delay before the pool's next connection attempt after `retries` failed ones, in seconds:
 * 50 ms doubling, capped at 2 s, with up to 25 % jitter so N instances do not reconnect in step.
 */
export function reconnectBackoffS(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 2) * (0.75 + Math.random() / 4);
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");

  await migratePostgres(url);

  const target = postgresJsTarget(url);
  const client = postgres(target.url, {
    ...target.options,
    max: env().DATABASE_POOL_MAX,
    // After PostgreSQL comes back, reconnect within 2 s (postgres.js's default backoff grows to
    // 20 s, shared by the whole pool, so requests waited that long after an outage).
    backoff: reconnectBackoffS,
    connect_timeout: 10, // s: a black-holed server fails requests (503) instead of holding them 30 s
    onnotice: () => {},
    connection: { application_name: "switchboard" },
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
}

async function openPglite(): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  // pg_trgm (typo-tolerant search, migration 0011) ships in PGlite's contrib bundle.
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const extensions = { pg_trgm };
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");

  const dir = dataDir();
  let release: (() => void) | undefined;
  let folder: string | undefined;
  let client: InstanceType<typeof PGlite>;
  if (dir === "memory://") {
    // Tests only: start from a migrated cluster dumped once per run (tests/global-setup.ts)
    // instead of running initdb and every migration again; `migrate` below still applies any
    // migration the template lacks.
    const template = process.env.SWITCHBOARD_PGLITE_TEMPLATE;
    client = template && fs.existsSync(template)
      ? new PGlite({ extensions, loadDataDir: new Blob([fs.readFileSync(template)]) })
      : new PGlite({ extensions });
  } else {
    // DATA_DIR and the folder 0700, files 0600 (PGlite writes its cluster 0666): db/pglite-folder.ts
    folder = path.join(dir, "pglite");
    ensurePrivateDir(dir);
    ensurePrivateDir(folder);
    release = lockFolder(folder);
    try {
      client = new PGlite(folder, { extensions });
    } catch (err) {
      release();
      throw err;
    }
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  if (folder) restrictTree(folder);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await client.close();
      if (folder) restrictTree(folder);
    } finally {
      release?.();
    }
  };
  registerShutdown(close);
  return { db, kind: "pglite", close };
}

const globalForShutdown = globalThis as unknown as {
  __switchboardShutdown?: Set<() => Promise<void>>;
  __switchboardBeforeClose?: Set<() => Promise<void>>;
};

/**
 * Run `fn` on SIGTERM/SIGINT before the embedded database is closed (e.g. stop job workers so
 * running jobs finish their transactions first). Only effective with the embedded database,
 * whose shutdown hook is what defers the exit.
 */
export function beforeDatabaseClose(fn: () => Promise<void>): void {
  (globalForShutdown.__switchboardBeforeClose ??= new Set()).add(fn);
}

/** Longest we wait for shutdown hooks before exiting anyway, in ms. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Close PGlite cleanly on SIGTERM/SIGINT (otherwise sequences jump by ~32 and the folder lock
 * stays). `next start` has its own handler: it stops accepting connections, drains in-flight
 * requests and then calls process.exit. So on a signal we defer process.exit until our hooks
 * have run: the order is drain requests → close the database → exit. In a plain script (no other
 * handler) we exit ourselves.
 */
function registerShutdown(fn: () => Promise<void>): void {
  if (!globalForShutdown.__switchboardShutdown) {
    const hooks = new Set<() => Promise<void>>();
    globalForShutdown.__switchboardShutdown = hooks;
    let deferred = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (deferred) return;
      deferred = true;
      const realExit = process.exit.bind(process);
      let exiting = false;
      process.exit = ((code?: number | string | null) => {
        if (exiting) return undefined as never;
        exiting = true;
        const force = setTimeout(() => realExit(code ?? 1), SHUTDOWN_TIMEOUT_MS);
        force.unref();
        const before = [...(globalForShutdown.__switchboardBeforeClose ?? [])];
        void Promise.allSettled(before.map((h) => h()))
          .then(() => Promise.allSettled([...hooks].map((h) => h())))
          .finally(() => realExit(code ?? 0));
        return undefined as never;
      }) as typeof process.exit;
      // Nobody else (e.g. next start) handles this signal: exit now, through the hooks.
      if (process.listenerCount(signal) <= 1) process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.prependListener("SIGTERM", onSignal);
    process.prependListener("SIGINT", onSignal);
  }
  globalForShutdown.__switchboardShutdown.add(fn);
}

/**
 * Run raw SQL and return its rows, whichever driver is underneath (postgres.js returns an
 * array, PGlite a `{rows}` object). Cast numeric results in SQL (`::int`, `::float8`), since
 * the drivers differ on int8/numeric.
 */
export async function rows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

interface DriverClient {
  /** postgres.js (pool or transaction) */
  unsafe?: (text: string, params: unknown[], opts: { prepare: boolean }) => Promise<unknown[]>;
  /** PGlite (instance or transaction) */
  query?: (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;
}

/**
 * Run a FIXED SQL text with `$1…$n` parameters as a prepared statement: postgres.js prepares
 * it once per connection and then sends only the parameters, and PostgreSQL reuses the plan.
 * For hot paths with a large statement (the one-statement ticket write plans a five-table CTE,
 * which otherwise costs as much as executing it). Works on the pool or inside a transaction,
 * on PostgreSQL and PGlite. Never build `text` from input: values go in `params`.
 */
export async function queryPrepared<T extends Record<string, unknown>>(db: DbOrTx, text: string, params: unknown[]): Promise<T[]> {
  const client = (db as unknown as { session?: { client?: DriverClient } }).session?.client;
  if (client?.unsafe) return (await client.unsafe(text, params, { prepare: true })) as T[];
  if (client?.query) return (await client.query(text, params)).rows as T[];
  throw new Error("queryPrepared: unsupported database driver");
}

/** One value of a COPY text-format row: null, or text (escaped by {@link copyRows}). */
export type CopyValue = string | number | null;

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Bulk-load rows with `COPY table (columns) FROM STDIN` (PostgreSQL COPY text format: tab
 * separated, `\N` for null, backslash escapes), on the pool or inside a transaction:
 * postgres.js streams it; PGlite reads it from a blob (`FROM '/dev/blob'`). About twice as fast
 * as INSERT … SELECT FROM unnest for 100,000 rows. `table` and `columns` must be identifiers
 * from code, never input.
 */
export async function copyRows(db: DbOrTx, table: string, columns: readonly string[], data: readonly (readonly CopyValue[])[]): Promise<void> {
  if (data.length === 0) return;
  if (![table, ...columns].every((id) => /^[a-z_][a-z0-9_]*$/.test(id))) throw new Error("copyRows: bad identifier");
  const cols = columns.map((c) => `"${c}"`).join(", ");
  const parts: string[] = [];
  for (const row of data) {
    parts.push(
      row.map((v) => (v === null ? "\\N" : typeof v === "number" ? String(v) : v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]))).join("\t") + "\n",
    );
  }
  const text = parts.join("");
  const client = (db as unknown as { session?: { client?: DriverClient & CopyClient } }).session?.client;
  if (client?.unsafe) {
    const q = client.unsafe(`COPY ${table} (${cols}) FROM STDIN`, [], { prepare: false }) as unknown as { writable: () => Promise<NodeJS.WritableStream> };
    const w = await q.writable();
    await new Promise<void>((resolve, reject) => {
      w.on("error", reject);
      w.on("finish", () => resolve());
      w.end(text);
    });
    return;
  }
  if (client?.query) {
    await client.query(`COPY ${table} (${cols}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    return;
  }
  throw new Error("copyRows: unsupported database driver");
}

interface CopyClient {
  query?: (text: string, params: unknown[], opts?: { blob?: Blob }) => Promise<{ rows: unknown[] }>;
}

const dialect = new PgDialect();

/**
 * {@link queryPrepared} for a drizzle `sql` template: the text (with `$n` placeholders) depends
 * only on the template's shape, so each distinct shape is prepared once per connection.
 */
export function rowsPrepared<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const q = dialect.sqlToQuery(query);
  return queryPrepared<T>(db, q.sql, q.params);
}

/** The minimal SQL runner pg-boss and rate-limiter-flexible accept (`{rows}` results, `$n` params). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * A {@link SqlExecutor} over a drizzle database or transaction, so a library's statements
 * join the caller's transaction (e.g. pg-boss queue rows written with the event that caused
 * them). On PGlite a statement without parameters may hold several commands (pg-boss's
 * schema migrations); it is run with `exec`.
 *
 * @param opts.prepare on postgres.js, run each text as a named prepared statement, cached per
 *   connection (as {@link queryPrepared}). Without it a statement with parameters costs two
 *   round trips every time (postgres.js asks PostgreSQL for the parameter types first). Only
 *   for callers whose texts are a small fixed set (the rate limiter's upsert, pg-boss's job
 *   insert): every distinct text stays prepared on every connection. No effect on PGlite.
 */
export function sqlExecutor(db: DbOrTx, opts: { prepare?: boolean } = {}): SqlExecutor {
  const prepare = opts.prepare === true;
  const client = (db as unknown as { session?: { client?: DriverClient & { exec?: (t: string) => Promise<{ rows: unknown[] }[]> } } }).session?.client;
  if (!client) throw new Error("sqlExecutor: unsupported database driver");
  return {
    async executeSql(text, values) {
      if (client.unsafe) {
        // pg (which libraries expect) sends undefined as NULL; postgres.js refuses it.
        const params = (values ?? []).map((v) => (v === undefined ? null : v));
        const r = await client.unsafe(text, params, { prepare });
        return { rows: r as Record<string, unknown>[] };
      }
      if ((!values || values.length === 0) && client.exec) {
        const results = await client.exec(text);
        return { rows: (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[] };
      }
      if (client.query) return { rows: (await client.query(text, values ?? [])).rows as Record<string, unknown>[] };
      throw new Error("sqlExecutor: unsupported database driver");
    },
  };
}
