import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db/client";
import { authSecret } from "@/lib/auth/secret";
import { resetEnvForTests } from "@/lib/env";

// This file always runs on an embedded database in a real folder (never DATABASE_URL).
let dataDir: string;
const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET };
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-datadir-"));
  fs.rmSync(dataDir, { recursive: true });
  delete process.env.DATABASE_URL;
  delete process.env.NEXTAUTH_SECRET;
  process.env.DATA_DIR = dataDir;
  resetEnvForTests();
});
afterAll(async () => {
  await closeDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
  Object.assign(process.env, saved);
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  resetEnvForTests();
});

/** Paths under `root` that group or others can read, write or enter. */
function exposed(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) out.push(`${path.relative(root, p) || "."} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(root);
  return out;
}

const CHILD = path.join(process.cwd(), "tests", "security", "lock-child.mts");
function child(folder: string, holdMs: number, startAt?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", CHILD, folder, String(holdMs), ...(startAt ? [String(startAt)] : [])];
    const p = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("exit", () => resolve(out.trim()));
  });
}

describe("embedded data folder", () => {
  it("keeps DATA_DIR 0700 and every file 0600 after opening, writing and closing", async () => {
    const db = await getDb();
    await db.execute(sql`CREATE TABLE mode_probe (id serial PRIMARY KEY, body text)`);
    await db.execute(sql`INSERT INTO mode_probe (body) SELECT repeat('x', 1000) FROM generate_series(1, 2000)`);
    await db.execute(sql`CHECKPOINT`);
    authSecret();
    expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe("700");
    expect((fs.statSync(path.join(dataDir, "auth-secret")).mode & 0o777).toString(8)).toBe("600");
    expect(exposed(dataDir)).toEqual([]); // while open, files written since opening included
    await closeDb();
    expect(exposed(dataDir)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
  }, 120_000);

  it("tightens the modes of an existing folder written by an older version", async () => {
    const folder = path.join(dataDir, "pglite");
    fs.chmodSync(dataDir, 0o755);
    for (const f of fs.readdirSync(folder)) {
      const p = path.join(folder, f);
      if (fs.statSync(p).isFile()) fs.chmodSync(p, 0o666);
    }
    await getDb();
    expect(exposed(dataDir)).toEqual([]);
    await closeDb();
  }, 120_000);

  it("two processes locking one folder at once: exactly one wins, the other gets 'in use by process'", async () => {
    const folder = path.join(dataDir, "race", "pglite");
    fs.mkdirSync(folder, { recursive: true });
    const startAt = Date.now() + 1500;
    const results = await Promise.all([child(folder, 1500, startAt), child(folder, 1500, startAt), child(folder, 1500, startAt)]);
    expect(results.filter((r) => r === "locked")).toHaveLength(1);
    for (const r of results.filter((x) => x !== "locked")) expect(r).toMatch(/^error: .*is in use by process \d+/);
    // released on exit: the next process gets it
    expect(await child(folder, 0)).toBe("locked");
  }, 60_000);

  it("a stale lock (its process is gone) is taken over by exactly one of several processes", async () => {
    const folder = path.join(dataDir, "stale", "pglite");
    fs.mkdirSync(folder, { recursive: true });
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((r) => dead.on("exit", () => r(dead.pid!)));
    fs.writeFileSync(path.join(folder, "..", "pglite.lock"), JSON.stringify({ pid: deadPid, host: os.hostname() }));
    const startAt = Date.now() + 1500;
    const results = await Promise.all([child(folder, 1500, startAt), child(folder, 1500, startAt), child(folder, 1500, startAt)]);
    expect(results.filter((r) => r === "locked")).toHaveLength(1);
    for (const r of results.filter((x) => x !== "locked")) expect(r).toMatch(/in use by process \d+/);
  }, 60_000);

  it("never takes over a lock held on another host", async () => {
    const folder = path.join(dataDir, "other-host", "pglite");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "..", "pglite.lock"), JSON.stringify({ pid: 1, host: "some-other-container" }));
    expect(await child(folder, 0)).toMatch(/in use by process 1 on host some-other-container/);
  }, 60_000);
});
