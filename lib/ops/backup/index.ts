/** Backups and restores of the database (pg_dump / PGlite dump) with a manifest of counts, checksums and S3 objects (docs/BACKUPS.md). */
export { createBackup, appVersion, PG_DUMP_FILE, type BackupOptions } from "./backup";
export { restoreBackup, RestoreRefused, type RestoreOptions, type RestoreResult } from "./restore";
export { compareStats, formatComparison, readManifest, CHECKSUM_TABLES, MANIFEST_FILE, type BackupManifest, type DbStats } from "./manifest";
export { PGLITE_DUMP_FILE } from "./pglite";
