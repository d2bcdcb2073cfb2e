/**
 * The PostgreSQL driver under a cut connection (patches/postgres+3.4.9.patch, applied by
 * patch-package on `npm install`): eight clients run transactions, inserts and selects through a
 * loopback TCP proxy that is taken down for 3 s and brought back. Unpatched postgres.js 3.4.9
 * throws an uncaught TypeError from `nextWrite` (socket null) when a transaction's next query
 * meets a closed connection, and that query never settles (porsager/postgres#1208, #1130). Here:
 * no uncaught exception, every query settles (resolved or rejected) within 15 s, failures are
 * connection errors, and with the pool's backoff of db/client.ts every client gets answers again
 * after the proxy returns. Skipped when no PostgreSQL answers on 127.0.0.1:5432 (never in CI).
 */
import postgres from "postgres";
import { postgresAnswers } from "../helpers/postgres-up";
import { afterAll, describe, expect, it } from "vitest";
import { reconnectBackoffS } from "@/db/client";
import { TcpProxy } from "../helpers/tcp-proxy";

const URL_BASE = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const available = await postgresAnswers(URL_BASE);

describe.skipIf(!available && !process.env.CI)("postgres.js with a cut connection (patched)", () => {
  const proxy = new TcpProxy({ host: new URL(URL_BASE).hostname, port: Number(new URL(URL_BASE).port || 5432) });
  const table = `sb_cut_probe_${process.pid}`;
  let sql: postgres.Sql | null = null;
  afterAll(async () => {
    await proxy.up();
    await sql?.unsafe(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    await sql?.end({ timeout: 2 });
    await proxy.down();
  });

  it("settles every query, throws nothing uncaught, and answers again after the server returns", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on("uncaughtException", onUncaught);
    try {
      await proxy.up();
      const u = new URL(URL_BASE);
      u.hostname = "127.0.0.1";
      u.port = String(proxy.port);
      sql = postgres(u.toString(), { max: 10, onnotice: () => {}, backoff: reconnectBackoffS, connect_timeout: 10 });
      const db = sql;
      await db.unsafe(`CREATE TABLE IF NOT EXISTS ${table} (id serial PRIMARY KEY, v text)`);

      let phase: "before" | "down" | "after" = "before";
      let running = true;
      const unsettled: string[] = [];
      const errors = new Set<string>();
      const okAfter = new Set<number>();
      const settleWithin = <T,>(p: Promise<T>, label: string) =>
        new Promise<T>((resolve, reject) => {
          const t = setTimeout(() => {
            unsettled.push(`${label}@${phase}`);
            reject(new Error("unsettled"));
          }, 15_000);
          p.then(
            (v) => (clearTimeout(t), resolve(v)),
            (e) => (clearTimeout(t), reject(e)),
          );
        });
      const client = async (i: number) => {
        for (let n = 0; running; n++) {
          const kind = n % 3;
          try {
            if (kind === 0)
              await settleWithin(
                db.begin(async (tx) => {
                  await tx.unsafe(`INSERT INTO ${table} (v) VALUES ('a')`);
                  await tx`SELECT pg_sleep(0.02)`;
                  await tx.unsafe(`INSERT INTO ${table} (v) VALUES ('b')`);
                }),
                "transaction",
              );
            else if (kind === 1) await settleWithin(db.unsafe(`INSERT INTO ${table} (v) VALUES ('c')`), "insert");
            else await settleWithin(db`SELECT pg_sleep(0.01)`, "select");
            if (phase === "after") okAfter.add(i);
          } catch (e) {
            errors.add(String((e as { code?: string }).code ?? (e as Error).message));
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      };
      const clients = Promise.all(Array.from({ length: 8 }, (_, i) => client(i)));
      await new Promise((r) => setTimeout(r, 1_500));
      phase = "down";
      await proxy.down();
      await new Promise((r) => setTimeout(r, 3_000));
      await proxy.up();
      phase = "after";
      await new Promise((r) => setTimeout(r, 6_000));
      running = false;
      await clients;

      expect(uncaught).toEqual([]);
      expect(unsettled).toEqual([]);
      for (const code of errors) expect(code).toMatch(/CONNECTION_CLOSED|CONNECTION_DESTROYED|ECONNREFUSED|ECONNRESET|EPIPE/);
      expect(errors.size).toBeGreaterThan(0); // the cut did reach the clients
      expect(okAfter.size).toBe(8);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  }, 60_000);
});
