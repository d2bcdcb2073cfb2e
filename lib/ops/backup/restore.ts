import fs from "node:fs";
import path from "node:path";
import { postgresJsTarget } from "@/db/connection-url";
import { dataDir, env } from "@/lib/env";
import { compareStats, readManifest, type BackupManifest, type DbStats, type StatDiff } from "./manifest";
import { uploadObjects } from "./objects";
import { openPgliteFolder, pgliteFolder } from "./pglite";
import { runPgTool } from "./postgres-tools";
import { collectStats, DETERMINISTIC_SESSION_SQL, isEmptyDatabase } from "./stats";

/** Options of {@link restoreBackup}. */
export interface RestoreOptions {
  /** Backup folder (holding manifest.json). */
  dir: string;
  /** Also upload the objects copied into the backup (`objects/`, from `backup --with-objects`) to the configured bucket. */
  withObjects?: boolean;
  /** Folder of pg_restore when it is not on PATH. */
  pgBin?: string;
}

/** Outcome of a restore: the manifest, what was compared, and whether everything matched. */
export interface RestoreResult {
  manifest: BackupManifest;
  ok: boolean;
  comparison: StatDiff[];
  objectsUploaded: number;
}

/** Thrown when the target database is not empty (a restore never merges into existing data). */
export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefused";
  }
}

/**
 * Restore a backup folder into the configured, EMPTY database, then fingerprint the result and
 * compare it with the manifest (migrations, every table's row count, the checksums):
 * - PostgreSQL (DATABASE_URL): `pg_restore --no-owner --no-privileges --single-transaction
 *   --exit-on-error` into a database with no table in `public` (create it with `createdb`).
 * - PGlite: the dump is unpacked into DATA_DIR/pglite, which must not exist or be empty (the
 *   app stopped).
 * The target's driver must match the backup's. The restore does not migrate: the app's next
 * start applies any migration newer than the backup.
 * @throws RestoreRefused when the target is not empty or the drivers differ; Error when the
 *   backup is incomplete or pg_restore fails
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const dir = path.resolve(opts.dir);
  const manifest = readManifest(dir);
  const dump = path.join(dir, manifest.dumpFile);
  if (!fs.existsSync(dump)) throw new Error(`backup incomplete: ${dump} is missing`);
  if (opts.withObjects && !manifest.objects.copied) throw new Error("this backup holds the object list only (taken without --with-objects): nothing to upload");
  const url = env().DATABASE_URL;
  const target = url ? "postgres" : "pglite";
  if (target !== manifest.driver) {
    throw new RestoreRefused(
      manifest.driver === "postgres"
        ? "this is a PostgreSQL backup: set DATABASE_URL to the (empty) database to restore into"
        : "this is an embedded-database (PGlite) backup: unset DATABASE_URL and set DATA_DIR to an empty folder",
    );
  }
  const restored = url ? await restorePostgres(url, dump, opts.pgBin) : await restorePglite(dump);
  const { ok, lines } = compareStats(manifest.database, restored);
  const objectsUploaded = opts.withObjects ? await uploadObjects(dir, manifest.objects.list) : 0;
  return { manifest, ok, comparison: lines, objectsUploaded };
}

async function restorePostgres(url: string, dump: string, pgBin?: string): Promise<DbStats> {
  const { default: postgres } = await import("postgres");
  const target = postgresJsTarget(url);
  const sql = postgres(target.url, { max: 1, ...target.options, onnotice: () => {}, connection: { application_name: "switchboard-restore" } });
  try {
    const q = async (text: string) => (await sql.unsafe(text)) as unknown as Record<string, unknown>[];
    const state = await isEmptyDatabase(q);
    if (!state.empty) {
      throw new RestoreRefused(
        `refusing to restore: the target database ${new URL(url).pathname.slice(1)} is not empty (${state.tables} tables in public). Restore into a new empty database (createdb) and point DATABASE_URL at it.`,
      );
    }
    await runPgTool("pg_restore", url, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", dump], pgBin);
    return await sql.begin(async (tx) => {
      for (const s of DETERMINISTIC_SESSION_SQL) await tx.unsafe(s.replace(/^SET /, "SET LOCAL "));
      return collectStats(async (text) => (await tx.unsafe(text)) as unknown as Record<string, unknown>[]);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function restorePglite(dump: string): Promise<DbStats> {
  const dir = dataDir();
  if (dir === "memory://") throw new RestoreRefused("DATA_DIR=memory:// is not a place to restore to: set DATA_DIR to an empty folder");
  const folder = pgliteFolder(dir);
  if (fs.existsSync(folder) && fs.readdirSync(folder).length > 0) {
    throw new RestoreRefused(`refusing to restore: ${folder} already holds a database. Stop Switchboard and restore into a new DATA_DIR (or move the old folder away).`);
  }
  const h = await openPgliteFolder(folder, new Blob([fs.readFileSync(dump)]));
  try {
    for (const s of DETERMINISTIC_SESSION_SQL) await h.client.exec(s);
    return await collectStats(async (text) => (await h.client.query<Record<string, unknown>>(text)).rows);
  } finally {
    await h.close();
  }
}

