import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db/client";
import { seedDemo } from "@/lib/demo/seed";
import { resetEnvForTests } from "@/lib/env";
import { stopLocalS3 } from "@/lib/files/storage/local-server";
import { resetStorageForTests, storage } from "@/lib/files/storage/s3";
import { stopBoss } from "@/lib/jobs/boss";
import { stopWorkers } from "@/lib/jobs/worker";
import { compareStats, createBackup, readManifest, restoreBackup, RestoreRefused, type DbStats } from "@/lib/ops/backup";
import { openPgliteFolder } from "@/lib/ops/backup/pglite";
import { invalidateReferenceData } from "@/lib/reference/cache";

/*
 * Round trips: seed a database (demo tickets, comments, audit events), back it up, restore into a
 * second EMPTY database, and compare ticket, comment and audit counts and checksums, both by the
 * restore's own verification and by independent queries on both databases. A restore into a
 * database that holds data is refused. PostgreSQL runs when a server is configured
 * (TEST_ADMIN_DATABASE_URL or DATABASE_URL); PGlite always runs (temp data folders).
 */

const savedEnv = { ...process.env };
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sb-backup-test-"));
const OBJECT_KEY = "backup-test/hello.txt";

/** Point the app at a database (DATABASE_URL) or an embedded DATA_DIR, with a fresh local S3 under DATA_DIR/s3. */
async function useTarget(t: { url?: string; dataDir: string }): Promise<void> {
  await closeDb();
  await stopLocalS3();
  resetStorageForTests();
  if (t.url) process.env.DATABASE_URL = t.url;
  else delete process.env.DATABASE_URL;
  process.env.DATA_DIR = t.dataDir;
  process.env.S3_LOCAL_PORT = "0";
  delete process.env.S3_ENDPOINT;
  resetEnvForTests();
  invalidateReferenceData();
}

/** Seed demo data (a few tickets with comments and audit events) and one S3 object, then close the database. */
async function seed(): Promise<void> {
  const db = await getDb();
  const r = await seedDemo(db, { ticketLimit: 6, employees: false });
  expect(r.tickets).toBeGreaterThan(0);
  const s = await storage();
  await s.client.send(new PutObjectCommand({ Bucket: s.bucket, Key: OBJECT_KEY, Body: "hello backup", ContentType: "text/plain" }));
  await stopWorkers();
  await stopBoss();
  await closeDb();
}

/** Independent counts and checksums of the three tables, straight from SQL (not lib/ops/backup). */
const INDEPENDENT_SQL = `SET TIME ZONE 'UTC'; SELECT
  (SELECT count(*)::int FROM tickets) AS tickets,
  (SELECT count(*)::int FROM ticket_comments) AS comments,
  (SELECT count(*)::int FROM audit_events) AS audit,
  (SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM tickets t) AS tickets_sum,
  (SELECT md5(string_agg(c::text, '|' ORDER BY c.id)) FROM ticket_comments c) AS comments_sum,
  (SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM audit_events a) AS audit_sum`;

async function independentPg(url: string): Promise<Record<string, unknown>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const results = (await sql.unsafe(INDEPENDENT_SQL).simple()) as unknown as Record<string, unknown>[][];
    return { ...results[results.length - 1][0] };
  } finally {
    await sql.end();
  }
}

async function independentPglite(dataDir: string): Promise<Record<string, unknown>> {
  const h = await openPgliteFolder(path.join(dataDir, "pglite"));
  try {
    const results = await h.client.exec(INDEPENDENT_SQL);
    return { ...results[results.length - 1].rows[0] };
  } finally {
    await h.close();
  }
}

function expectSeeded(m: { database: DbStats }): void {
  for (const t of ["tickets", "ticket_comments", "audit_events"]) {
    expect(m.database.tables[t].rows, t).toBeGreaterThan(0);
    expect(m.database.tables[t].checksum, t).toMatch(/^[0-9a-f]{32}$/);
  }
  expect(m.database.migrations.count).toBeGreaterThan(10);
}

afterEach(async () => {
  await closeDb();
  await stopLocalS3();
  resetStorageForTests();
});

afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  resetEnvForTests();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!adminUrl)("backup and restore on PostgreSQL", () => {
  const names = [`sbt_bk_src_${crypto.randomBytes(4).toString("hex")}`, `sbt_bk_dst_${crypto.randomBytes(4).toString("hex")}`];
  const urlOf = (name: string) => {
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };

  afterAll(async () => {
    await closeDb();
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    for (const n of names) await admin.unsafe(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    await admin.end();
  });

  it("round-trips a seeded database through pg_dump / pg_restore with equal counts and checksums", async () => {
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    for (const n of names) await admin.unsafe(`CREATE DATABASE ${n}`);
    await admin.end();
    const [src, dst] = names.map(urlOf);

    await useTarget({ url: src, dataDir: path.join(tmp, "pg-data") });
    await seed();
    const out = path.join(tmp, "pg-backup");
    const m = await createBackup({ outDir: out, withObjects: true });
    expect(m.driver).toBe("postgres");
    expect(fs.statSync(path.join(out, "database.pgdump")).size).toBeGreaterThan(1000);
    expectSeeded(m);
    expect(readManifest(out)).toEqual(m);
    // The S3 manifest lists the object; --with-objects copied it.
    const obj = m.objects.list.find((o) => o.key === OBJECT_KEY);
    expect(obj).toMatchObject({ size: 12, etag: crypto.createHash("md5").update("hello backup").digest("hex") });
    expect(fs.readFileSync(path.join(out, "objects", OBJECT_KEY), "utf8")).toBe("hello backup");

    // A second site: new database, new (empty) object store; --with-objects uploads the copies.
    await useTarget({ url: dst, dataDir: path.join(tmp, "pg-data-dst") });
    const r = await restoreBackup({ dir: out, withObjects: true });
    expect(r.comparison.filter((l) => !l.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.objectsUploaded).toBe(m.objects.count);
    const s = await storage();
    const got = await s.client.send(new GetObjectCommand({ Bucket: s.bucket, Key: OBJECT_KEY }));
    expect(await got.Body?.transformToString()).toBe("hello backup");
    expect(r.comparison.find((l) => l.what === "tickets checksum")?.actual).toBe(m.database.tables.tickets.checksum);

    const a = await independentPg(src);
    const b = await independentPg(dst);
    expect(b).toEqual(a);
    expect(a.tickets).toBe(m.database.tables.tickets.rows);
    expect(a.comments).toBe(m.database.tables.ticket_comments.rows);
    expect(a.audit).toBe(m.database.tables.audit_events.rows);

    // Into a database that holds data (the restored one, or the source): refused, nothing changed.
    await expect(restoreBackup({ dir: out })).rejects.toThrow(RestoreRefused);
    await expect(restoreBackup({ dir: out })).rejects.toThrow(/not empty/);
    expect(await independentPg(dst)).toEqual(a);
    // A PostgreSQL backup is not restored into the embedded database.
    await useTarget({ dataDir: path.join(tmp, "pg-wrong-driver") });
    await expect(restoreBackup({ dir: out })).rejects.toThrow(/PostgreSQL backup/);
  }, 240_000);
});

describe("backup and restore on the embedded database (PGlite)", () => {
  it("round-trips a seeded data folder with equal counts and checksums and refuses a non-empty target", async () => {
    const srcDir = path.join(tmp, "pglite-src");
    const dstDir = path.join(tmp, "pglite-dst");
    // Start the source from the migrated template of this test run (tests/global-setup.ts) when there is one.
    const template = process.env.SWITCHBOARD_PGLITE_TEMPLATE;
    if (template && fs.existsSync(template)) await (await openPgliteFolder(path.join(srcDir, "pglite"), new Blob([fs.readFileSync(template)]))).close();
    await useTarget({ dataDir: srcDir });
    await seed();

    const out = path.join(tmp, "pglite-backup");
    const m = await createBackup({ outDir: out });
    expect(m.driver).toBe("pglite");
    expect(m.dumpFile).toBe("pglite.tar.gz");
    expectSeeded(m);
    expect(m.objects.list.map((o) => o.key)).toContain(OBJECT_KEY);
    expect(m.objects.copied).toBe(false);
    expect(fs.existsSync(path.join(out, "objects"))).toBe(false);

    await useTarget({ dataDir: dstDir });
    const r = await restoreBackup({ dir: out });
    expect(r.comparison.filter((l) => !l.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    const a = await independentPglite(srcDir);
    expect(await independentPglite(dstDir)).toEqual(a);
    expect(a.tickets).toBe(m.database.tables.tickets.rows);

    // The app opens the restored folder (and finds nothing to migrate).
    const db = await getDb();
    expect(db).toBeTruthy();
    // While the app holds it, neither a backup nor a restore may touch the folder.
    await expect(createBackup({ outDir: path.join(tmp, "pglite-backup-2") })).rejects.toThrow(/in use/);
    await closeDb();

    await expect(restoreBackup({ dir: out })).rejects.toThrow(RestoreRefused);
    await expect(restoreBackup({ dir: out })).rejects.toThrow(/already holds a database/);
    // A backup taken without --with-objects has no objects to upload.
    await expect(restoreBackup({ dir: out, withObjects: true })).rejects.toThrow(/object list only/);
    // An embedded backup is not restored into PostgreSQL.
    if (adminUrl) {
      await useTarget({ url: adminUrl, dataDir: dstDir });
      await expect(restoreBackup({ dir: out })).rejects.toThrow(/embedded-database/);
    }
  }, 240_000);
});

describe("compareStats", () => {
  it("flags a changed checksum, a changed count and a missing table", () => {
    const base: DbStats = { migrations: { count: 3, latest: "0002_x" }, tables: { tickets: { rows: 2, checksum: "a" }, users: { rows: 1 } } };
    expect(compareStats(base, structuredClone(base)).ok).toBe(true);
    expect(compareStats(base, { ...base, tables: { ...base.tables, tickets: { rows: 2, checksum: "b" } } }).ok).toBe(false);
    expect(compareStats(base, { ...base, tables: { ...base.tables, users: { rows: 0 } } }).ok).toBe(false);
    expect(compareStats(base, { ...base, tables: { tickets: base.tables.tickets } }).lines.find((l) => !l.ok)?.what).toBe("users rows");
  });
});
