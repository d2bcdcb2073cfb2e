import { describe, expect, it } from "vitest";
import type { DbOrTx } from "@/db/client";
import { getReferenceData, invalidateReferenceData } from "@/lib/reference/cache";
import { useTestDb } from "../helpers/db";

const testDb = useTestDb();

/**
 * A database handle whose queries never get a connection: the app's pool when every one of its
 * connections is held by a transaction. Each select chain is a promise that never settles.
 */
function exhaustedPool(): { db: DbOrTx; queries: () => number } {
  let n = 0;
  const never = () => {
    n++;
    return new Promise<never>(() => {});
  };
  const chain: Record<string, unknown> = {};
  for (const m of ["select", "from", "where", "orderBy"]) chain[m] = () => chain;
  chain.then = (ok: (v: unknown) => unknown, bad: (e: unknown) => unknown) => never().then(ok, bad);
  return { db: chain as unknown as DbOrTx, queries: () => n };
}

describe("reference data cache", () => {
  it("never makes a caller wait for a load running on another connection", async () => {
    invalidateReferenceData();
    const pool = exhaustedPool();
    // A pool caller starts a load that cannot get a connection…
    void getReferenceData(pool.db);
    await Promise.resolve();
    expect(pool.queries()).toBe(4);
    // …and a caller inside a transaction (its own connection) must not wait for it: it loads on
    // its own handle. Before the fix it awaited the pool's load, and under load both hung.
    const data = await testDb.db.transaction((tx) => getReferenceData(tx));
    expect(data.teams.length).toBeGreaterThan(0);
    expect(data.teamByCategory.size).toBe(data.categories.length);
    // The loaded data is shared from then on: another pool caller gets it without a query.
    const again = await getReferenceData(pool.db);
    expect(again).toBe(data);
    expect(pool.queries()).toBe(4);
  });

  it("does not keep data a load read before an invalidation", async () => {
    invalidateReferenceData();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A handle that runs each query only after `gate` opens, on the real database.
    const slow = new Proxy(testDb.db, {
      get(target, prop, receiver) {
        if (prop !== "select") return Reflect.get(target, prop, receiver);
        return (...args: unknown[]) => {
          const q = (target.select as (...a: unknown[]) => unknown)(...args) as object;
          const wrap = (inner: object): object =>
            new Proxy(inner, {
              get(t, p, r) {
                if (p === "then") return (ok: (v: unknown) => unknown, bad: (e: unknown) => unknown) => gate.then(() => (t as PromiseLike<unknown>).then(ok, bad));
                const v = Reflect.get(t, p, r);
                return typeof v === "function" ? (...a: unknown[]) => wrap((v as (...x: unknown[]) => object).apply(t, a)) : v;
              },
            });
          return wrap(q);
        };
      },
    }) as DbOrTx;
    const stale = getReferenceData(slow);
    invalidateReferenceData(); // e.g. an admin renamed a team meanwhile
    release();
    const first = await stale;
    expect(first.teams.length).toBeGreaterThan(0);
    // Not cached: the next caller loads afresh.
    const next = await getReferenceData(testDb.db);
    expect(next).not.toBe(first);
    expect(await getReferenceData(testDb.db)).toBe(next);
  });
});
