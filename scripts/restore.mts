/**
 * `npm run restore -- <backup dir> [--with-objects] [--pg-bin <dir>]`: restore a backup made by
 * `npm run backup` into the configured database, which must be EMPTY (PostgreSQL: a new database
 * from `createdb`; embedded: a DATA_DIR without a pglite folder, app stopped), then compare row
 * counts, checksums and the migration level with the manifest and print the comparison.
 * `--with-objects` also uploads the copied S3 objects. See docs/BACKUPS.md.
 * Exit codes: 0 restored and verified, 1 failed or mismatch, 2 bad arguments, 3 refused (target not empty).
 */
import { parseArgs } from "node:util";
import { formatComparison, restoreBackup, RestoreRefused } from "@/lib/ops/backup";
import { stopLocalS3 } from "@/lib/files/storage/local-server";

let dir: string | undefined;
let values: { "with-objects"?: boolean; "pg-bin"?: string };
try {
  const parsed = parseArgs({ allowPositionals: true, options: { "with-objects": { type: "boolean" }, "pg-bin": { type: "string" } } });
  values = parsed.values;
  dir = parsed.positionals[0];
} catch (err) {
  console.error(`restore: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
if (!dir) {
  console.error("usage: npm run restore -- <backup dir> [--with-objects] [--pg-bin <dir>]");
  process.exit(2);
}
try {
  const r = await restoreBackup({ dir, withObjects: values["with-objects"], pgBin: values["pg-bin"] });
  console.log(`Restored ${r.manifest.driver} backup of ${r.manifest.createdAt} (app ${r.manifest.appVersion}).`);
  console.log(formatComparison(r.comparison));
  if (r.objectsUploaded) console.log(`${r.objectsUploaded} S3 objects uploaded.`);
  if (r.ok) console.log("Verified: every count and checksum matches the backup.");
  else {
    console.error("restore: the restored database DIFFERS from the backup (lines marked !!)");
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`restore: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = err instanceof RestoreRefused ? 3 : 1;
} finally {
  await stopLocalS3();
}
