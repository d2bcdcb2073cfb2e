import fs from "node:fs";
import path from "node:path";
import { postgresJsTarget } from "@/db/connection-url";
import { dataDir, env } from "@/lib/env";
import { type BackupManifest, writeManifest, type DbStats } from "./manifest";
import { downloadObjects, listObjects } from "./objects";
import { openPgliteFolder, pgliteFolder, PGLITE_DUMP_FILE } from "./pglite";
import { runPgTool } from "./postgres-tools";
import { collectStats, DETERMINISTIC_SESSION_SQL, type SqlRunner } from "./stats";

/** File of a PostgreSQL backup's dump (pg_dump custom format). */
export const PG_DUMP_FILE = "database.pgdump";

/** Options of {@link createBackup}. */
export interface BackupOptions {
  /** Folder to write (created; must be empty or absent). */
  outDir: string;
  /** Also copy every S3 object to `outDir/objects/` (default: only their list). */
  withObjects?: boolean;
  /** Folder of pg_dump when it is not on PATH. */
  pgBin?: string;
}

/**
 * Back up the configured database and list the S3 bucket into `outDir`:
 * - PostgreSQL (DATABASE_URL): `database.pgdump` by `pg_dump -Fc` run on a snapshot exported
 *   from a REPEATABLE READ transaction that also computes the manifest's counts and checksums,
 *   so dump and manifest describe the same instant while the app keeps running.
 * - PGlite (DATA_DIR): `pglite.tar.gz` (PGlite's dumpDataDir) of DATA_DIR/pglite, opened under
 *   the folder lock, so the app must be stopped (PGlite is single-process).
 * - `manifest.json`: time, app version, driver, migration level, per-table row counts,
 *   checksums of tickets / ticket_comments / audit_events, and the bucket's object list.
 * Never migrates or writes to the database.
 * @returns the manifest written
 * @throws Error when outDir is not empty, the database or the store cannot be read, the
 *   embedded database is in use, or pg_dump fails
 */
export async function createBackup(opts: BackupOptions): Promise<BackupManifest> {
  const out = path.resolve(opts.outDir);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} is not empty: choose a new folder for the backup`);
  fs.mkdirSync(out, { recursive: true, mode: 0o700 });
  const url = env().DATABASE_URL;
  const createdAt = new Date().toISOString();
  const db = url ? await backupPostgres(url, out, opts.pgBin) : await backupPglite(out);
  const objects = await listObjects();
  if (opts.withObjects) await downloadObjects(out, objects.list);
  const manifest: BackupManifest = {
    format: "switchboard-backup/1",
    createdAt,
    appVersion: appVersion(),
    driver: url ? "postgres" : "pglite",
    dumpFile: url ? PG_DUMP_FILE : PGLITE_DUMP_FILE,
    database: db,
    objects: {
      bucket: objects.bucket,
      count: objects.list.length,
      totalBytes: objects.list.reduce((s, o) => s + o.size, 0),
      copied: Boolean(opts.withObjects),
      list: objects.list,
    },
  };
  writeManifest(out, manifest);
  return manifest;
}

async function backupPostgres(url: string, out: string, pgBin?: string): Promise<DbStats> {
  const { default: postgres } = await import("postgres");
  const target = postgresJsTarget(url);
  const sql = postgres(target.url, { max: 1, ...target.options, onnotice: () => {}, connection: { application_name: "switchboard-backup" } });
  try {
    return await sql.begin("isolation level repeatable read read only", async (tx) => {
      const [{ snapshot }] = await tx.unsafe<{ snapshot: string }[]>("SELECT pg_export_snapshot() AS snapshot");
      for (const s of DETERMINISTIC_SESSION_SQL) await tx.unsafe(s.replace(/^SET /, "SET LOCAL "));
      const q: SqlRunner = async (text) => (await tx.unsafe(text)) as unknown as Record<string, unknown>[];
      const stats = await collectStats(q);
      // pg_dump reads the very snapshot the stats were taken in (the transaction stays open meanwhile).
      await runPgTool("pg_dump", url, ["--format=custom", `--snapshot=${snapshot}`, `--file=${path.join(out, PG_DUMP_FILE)}`], pgBin);
      fs.chmodSync(path.join(out, PG_DUMP_FILE), 0o600); // password hashes, encrypted secrets: owner only
      return stats;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function backupPglite(out: string): Promise<DbStats> {
  const dir = dataDir();
  if (dir === "memory://") throw new Error("DATA_DIR=memory:// keeps the database in memory: nothing to back up");
  const folder = pgliteFolder(dir);
  if (!fs.existsSync(path.join(folder, "PG_VERSION"))) throw new Error(`no embedded database at ${folder} (set DATA_DIR, or DATABASE_URL for PostgreSQL)`);
  const h = await openPgliteFolder(folder);
  try {
    for (const s of DETERMINISTIC_SESSION_SQL) await h.client.exec(s);
    const stats = await collectStats(async (text) => (await h.client.query<Record<string, unknown>>(text)).rows);
    const dump = await h.client.dumpDataDir("gzip");
    fs.writeFileSync(path.join(out, PGLITE_DUMP_FILE), Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    return stats;
  } finally {
    await h.close();
  }
}

/** `version` of the app's package.json (the working directory's), or "unknown". */
export function appVersion(): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version?: string }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}
