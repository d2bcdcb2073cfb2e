/**
 * `npm run backup -- [--out <dir>] [--with-objects] [--pg-bin <dir>]`: back up the configured
 * database into a new folder (default backups/<UTC timestamp>/): `database.pgdump` (pg_dump -Fc,
 * one consistent snapshot, the app may keep running) or `pglite.tar.gz` (embedded database: stop
 * the app first), plus manifest.json (row counts, checksums, migration level, the S3 objects'
 * list). `--with-objects` also copies every S3 object to objects/. See docs/BACKUPS.md.
 * Exit codes: 0 done, 1 failed, 2 bad arguments.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createBackup } from "@/lib/ops/backup";
import { stopLocalS3 } from "@/lib/files/storage/local-server";

let values: { out?: string; "with-objects"?: boolean; "pg-bin"?: string };
try {
  ({ values } = parseArgs({ options: { out: { type: "string" }, "with-objects": { type: "boolean" }, "pg-bin": { type: "string" } } }));
} catch (err) {
  console.error(`backup: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
const outDir = values.out ?? path.join("backups", new Date().toISOString().replace(/[:.]/g, "-"));
try {
  const t0 = Date.now();
  const m = await createBackup({ outDir, withObjects: values["with-objects"], pgBin: values["pg-bin"] });
  const t = m.database.tables;
  console.log(
    `Backup written to ${path.resolve(outDir)} (${m.driver}, ${m.database.migrations.latest ?? "no migrations"}, ${((Date.now() - t0) / 1000).toFixed(1)} s): ` +
      `${t.tickets?.rows ?? 0} tickets, ${t.ticket_comments?.rows ?? 0} comments, ${t.audit_events?.rows ?? 0} audit events; ` +
      `${m.objects.count} S3 objects (${m.objects.totalBytes} bytes) ${m.objects.copied ? "copied" : "listed"}`,
  );
} catch (err) {
  console.error(`backup: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await stopLocalS3();
}
