/**
 * DATABASE_URL naming a Unix-domain socket the libpq way (`?host=/var/run/postgresql`):
 * db/connection-url.ts turns it into postgres.js options, and the app's own start-up path
 * (migrations under their lock, the pool) and pg-boss (node-postgres, which reads the same URL
 * itself) connect through the socket. The PostgreSQL part runs against the server on
 * 127.0.0.1:5432 and the socket directory that server reports (`unix_socket_directories`);
 * skipped when no PostgreSQL answers there (never on CI).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresJsTarget } from "@/db/connection-url";
import { closeDb, getDbHandle, rows } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { postgresAnswers } from "../helpers/postgres-up";

describe("postgresJsTarget", () => {
  it("returns a URL without host or port in its query unchanged, with no options", () => {
    const url = "postgres://u:p%40ss@db.example.com:6543/desk?sslmode=require";
    expect(postgresJsTarget(url)).toEqual({ url, options: {} });
  });

  it("moves a socket directory and a port out of the query and keeps every other parameter", () => {
    const t = postgresJsTarget("postgres://switchboard@localhost/desk?host=/var/run/postgresql&port=5433&sslmode=disable&application_name=x");
    expect(t.options).toEqual({ host: "/var/run/postgresql", port: 5433 });
    const u = new URL(t.url);
    expect(u.searchParams.has("host")).toBe(false);
    expect(u.searchParams.has("port")).toBe(false);
    expect(u.searchParams.get("sslmode")).toBe("disable");
    expect(u.searchParams.get("application_name")).toBe("x");
    expect(u.username).toBe("switchboard");
    expect(u.pathname).toBe("/desk");
  });

  it("reads a percent-encoded socket directory and the empty-authority form", () => {
    expect(postgresJsTarget("postgres://u@localhost/d?host=%2Fvar%2Frun%2Fpostgresql").options).toEqual({ host: "/var/run/postgresql" });
    expect(postgresJsTarget("postgresql:///d?host=/tmp").options).toEqual({ host: "/tmp" });
  });

  it("rejects a port that is not a port number", () => {
    for (const port of ["abc", "0", "70000", "54.3"]) {
      expect(() => postgresJsTarget(`postgres://u@localhost/d?host=/tmp&port=${port}`)).toThrow(/not a port number/);
    }
  });
});

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const available = await postgresAnswers(ADMIN_URL);

describe.skipIf(!available && !process.env.CI)("the app on a Unix-socket DATABASE_URL (PostgreSQL)", () => {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `sb_socket_${crypto.randomBytes(4).toString("hex")}`;
  const saved = { DATABASE_URL: process.env.DATABASE_URL };
  let socketDir = "";

  beforeAll(async () => {
    const [r] = await admin<{ unix_socket_directories: string }[]>`SHOW unix_socket_directories`;
    socketDir = r.unix_socket_directories.split(",")[0].trim();
    expect(fs.existsSync(socketDir), `socket directory ${socketDir}`).toBe(true);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    // `localhost` in the authority is what a WHATWG URL needs; the query's host overrides it.
    process.env.DATABASE_URL = `postgres://postgres@localhost/${name}?host=${encodeURIComponent(socketDir)}`;
    resetEnvForTests();
  }, 60_000);

  afterAll(async () => {
    await stopBoss();
    await closeDb();
    process.env.DATABASE_URL = saved.DATABASE_URL;
    resetEnvForTests();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  });

  it("migrates and serves queries over the socket, and pg-boss starts on the same URL", async () => {
    const { db, kind } = await getDbHandle();
    expect(kind).toBe("postgres");
    // inet_server_addr() is NULL exactly when the session came in over a Unix-domain socket.
    const [session] = await rows<{ addr: string | null; db: string; tickets: number }>(
      db,
      sql`SELECT inet_server_addr()::text AS addr, current_database() AS db, (SELECT count(*)::int FROM tickets) AS tickets`,
    );
    expect(session).toEqual({ addr: null, db: name, tickets: 0 });

    const boss = await getBoss();
    await boss.createQueue("socket-check");
    const id = await boss.send("socket-check", { ok: true });
    expect(id).toBeTruthy();
    // pg-boss's own connections came over the socket too.
    const jobsSessions = await admin<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = ${name} AND application_name = 'switchboard-jobs' AND client_port = -1`;
    expect(jobsSessions[0].n).toBeGreaterThan(0);
  }, 60_000);
});
