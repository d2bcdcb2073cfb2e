/**
 * Several instances starting together migrate once: three concurrent {@link migratePostgres}
 * calls against a fresh scratch PostgreSQL database (created with a unique name on
 * 127.0.0.1:5432 as user postgres, dropped afterwards) all succeed, and drizzle's migrations
 * table holds each migration of db/migrations/meta/_journal.json exactly once.
 * Then three instances seed the reference data at once: one seeds, the others find it.
 * Skipped when no PostgreSQL answers there.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { postgresAnswers } from "../helpers/postgres-up";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/postgres-js";
import { migratePostgres, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { SEED_TEAMS, seedReferenceData } from "@/db/seed";

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `sb_migrate_lock_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
const scratchUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;


const available = await postgresAnswers(ADMIN_URL);

describe.skipIf(!available && !process.env.CI)("migrations under an advisory lock (PostgreSQL)", () => {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });

  beforeAll(async () => {
    await admin.unsafe(`CREATE DATABASE "${dbName}"`);
  });

  afterAll(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  });

  it("three instances migrating at once all succeed and apply each migration once", async () => {
    const results = await Promise.allSettled([migratePostgres(scratchUrl), migratePostgres(scratchUrl), migratePostgres(scratchUrl)]);
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok", "ok"]);

    const journal = JSON.parse(fs.readFileSync(path.join(process.cwd(), "db", "migrations", "meta", "_journal.json"), "utf8")) as {
      entries: { tag: string; when: number }[];
    };
    const sql = postgres(scratchUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ created_at: string; n: number }[]>`
        select created_at::text, count(*)::int as n from drizzle.__drizzle_migrations group by created_at order by created_at`;
      expect(rows.map((r) => r.n).every((n) => n === 1)).toBe(true);
      expect(rows.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e) => e.when).sort((a, b) => a - b));
      // The schema really is there (the last migration's effects, e.g. the audit trail).
      const [t] = await sql<{ n: number }[]>`select count(*)::int as n from information_schema.tables where table_name = 'audit_events'`;
      expect(t.n).toBe(1);
      // Nobody still holds the migration lock.
      const held = await sql<{ n: number }[]>`select count(*)::int as n from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
      expect(held[0].n).toBe(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 120_000);

  it("three instances seeding reference data at once: one seeds, none fails, no duplicates", async () => {
    const clients = [0, 1, 2].map(() => postgres(scratchUrl, { max: 2, onnotice: () => {} }));
    try {
      const dbs = clients.map((c) => drizzle(c, { schema }) as unknown as Db);
      const results = await Promise.allSettled(dbs.map((db) => seedReferenceData(db)));
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok", "ok"]);
      expect(results.filter((r) => r.status === "fulfilled" && r.value === true)).toHaveLength(1);
      const [t] = await clients[0]<{ n: number }[]>`select count(*)::int as n from teams`;
      expect(t.n).toBe(SEED_TEAMS.length);
    } finally {
      await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    }
  }, 60_000);

  it("a later start finds nothing to do", async () => {
    const sql = postgres(scratchUrl, { max: 1, onnotice: () => {} });
    try {
      const [before] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await migratePostgres(scratchUrl);
      const [after] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(after.n).toBe(before.n);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 60_000);
});
