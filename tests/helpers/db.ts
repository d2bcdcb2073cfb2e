import crypto from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import postgres from "postgres";
import { closeDb, getDbHandle, type Db } from "@/db/client";
import { seedReferenceData } from "@/db/seed";
import { resetEnvForTests } from "@/lib/env";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { stopBoss } from "@/lib/jobs/boss";
import { stopWorkers } from "@/lib/jobs/worker";

/*
 * A fresh, migrated database for one test file, with reference data seeded.
 * - DATABASE_URL set: a new PostgreSQL database `sbt_<random>` on that server (dropped after
 *   the file), so files can run in parallel.
 * - otherwise: in-memory PGlite.
 */
export interface TestDb {
  db: Db;
  kind: "pglite" | "postgres";
}

/**
 * Register beforeAll/afterAll hooks (call at the top level of a test file) that give the file
 * a fresh database and drop it afterwards. Read `.db` inside tests and later hooks.
 */
export function useTestDb(): TestDb {
  const ctx = {} as TestDb;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const r = await openTestDb();
    ctx.db = r.db;
    ctx.kind = r.kind;
    cleanup = r.cleanup;
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  });
  return ctx;
}

/**
 * Point DATABASE_URL at a new throw-away PostgreSQL database `sbt_<random>` on the admin server
 * (TEST_ADMIN_DATABASE_URL, else DATABASE_URL), or, with no PostgreSQL, DATA_DIR at `embedded`
 * (default in-memory PGlite). Returns a function that drops the database (call after closeDb).
 */
export async function useScratchDatabase(embedded = "memory://"): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL;
  let drop = async () => {};
  if (adminUrl) {
    process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
    const name = `sbt_${crypto.randomBytes(6).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    process.env.DATABASE_URL = u.toString();
    drop = async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  } else {
    process.env.DATA_DIR = embedded;
  }
  resetEnvForTests();
  return drop;
}

async function openTestDb(): Promise<TestDb & { cleanup: () => Promise<void> }> {
  const drop = await useScratchDatabase();
  invalidateReferenceData();
  const handle = await getDbHandle();
  await seedReferenceData(handle.db);

  const cleanup = async () => {
    await stopWorkers();
    await stopBoss();
    await closeDb();
    await drop();
  };
  return { db: handle.db, kind: handle.kind, cleanup };
}
