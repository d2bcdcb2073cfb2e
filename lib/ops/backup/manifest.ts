import fs from "node:fs";
import path from "node:path";

/*
 * What a backup holds besides the dump: when and from what it was taken, and fingerprints of the
 * data (row counts of every table, checksums of the tables that matter most) that a restore
 * compares against the restored database.
 */

/** Tables whose rows are checksummed (the record of work: tickets, their comments, the audit trail). */
export const CHECKSUM_TABLES = ["tickets", "ticket_comments", "audit_events"] as const;

/** One table's fingerprint: row count, and for {@link CHECKSUM_TABLES} an md5 over its rows. */
export interface TableStat {
  rows: number;
  /** md5 of the sorted md5s of each row's text form (timestamps in UTC); only for CHECKSUM_TABLES. */
  checksum?: string;
}

/** Fingerprint of a database at one instant. */
export interface DbStats {
  /** Applied drizzle migrations: how many, and the newest one's tag (db/migrations/meta/_journal.json). */
  migrations: { count: number; latest: string | null };
  /** Every table of the `public` schema, by name. */
  tables: Record<string, TableStat>;
}

/** One object of the S3 bucket at backup time (ListObjectsV2). */
export interface ObjectEntry {
  key: string;
  size: number;
  etag: string;
  lastModified: string | null;
}

/** manifest.json of a backup folder. */
export interface BackupManifest {
  format: "switchboard-backup/1";
  createdAt: string;
  appVersion: string;
  driver: "postgres" | "pglite";
  /** File of the database dump inside the backup folder: `database.pgdump` (pg_dump -Fc) or `pglite.tar.gz`. */
  dumpFile: string;
  database: DbStats;
  objects: {
    bucket: string;
    count: number;
    totalBytes: number;
    /** Whether the objects themselves were copied to `objects/` (`--with-objects`). */
    copied: boolean;
    list: ObjectEntry[];
  };
}

/** Name of the manifest inside a backup folder. */
export const MANIFEST_FILE = "manifest.json";

/** Write the manifest (pretty JSON) into `dir`. */
export function writeManifest(dir: string, m: BackupManifest): void {
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + "\n", { mode: 0o600 });
}

/**
 * Read and sanity-check `dir/manifest.json`.
 * @throws Error when it is missing or not a Switchboard backup manifest.
 */
export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: not a Switchboard backup folder`);
  const m = JSON.parse(fs.readFileSync(file, "utf8")) as BackupManifest;
  if (m.format !== "switchboard-backup/1" || (m.driver !== "postgres" && m.driver !== "pglite") || !m.database?.tables) {
    throw new Error(`${file} is not a Switchboard backup manifest (format switchboard-backup/1)`);
  }
  return m;
}

/** One line of a backup-versus-restore comparison. */
export interface StatDiff {
  what: string;
  expected: string;
  actual: string;
  ok: boolean;
}

/**
 * Compare the fingerprint in a manifest with the restored database's: migrations, every table's
 * row count and every checksum. Tables only on one side count as mismatches.
 */
export function compareStats(expected: DbStats, actual: DbStats): { ok: boolean; lines: StatDiff[] } {
  const lines: StatDiff[] = [];
  const push = (what: string, e: unknown, a: unknown) => lines.push({ what, expected: String(e), actual: String(a), ok: e === a });
  push("migrations", `${expected.migrations.count} (${expected.migrations.latest})`, `${actual.migrations.count} (${actual.migrations.latest})`);
  const names = [...new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])].sort();
  for (const t of names) {
    const e = expected.tables[t];
    const a = actual.tables[t];
    push(`${t} rows`, e?.rows ?? "(absent)", a?.rows ?? "(absent)");
    if (e?.checksum || a?.checksum) push(`${t} checksum`, e?.checksum ?? "(none)", a?.checksum ?? "(none)");
  }
  return { ok: lines.every((l) => l.ok), lines };
}

/** The comparison as a printable table (mismatches marked). */
export function formatComparison(lines: StatDiff[]): string {
  const w = Math.max(...lines.map((l) => l.what.length), 4);
  return lines.map((l) => `${l.ok ? "  ok " : "  !! "}${l.what.padEnd(w)}  backup ${l.expected}  restored ${l.actual}`).join("\n");
}
