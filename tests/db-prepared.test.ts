import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { buildStatement, builtOnce, columnParam, runStatement } from "@/db/prepared";
import { ticketSlas } from "@/db/schema";
import { queryPrepared, sqlExecutor, type DbOrTx } from "@/db/client";
import { useTestDb } from "./helpers/db";

const t = useTestDb();

describe("built-once statements (db/prepared.ts) on both drivers", () => {
  it("fills named placeholders per call, applies a column's encoder and keeps null, inside a transaction too", async () => {
    const due = ticketSlas.firstResponseDueAt;
    const st = buildStatement(
      sql`SELECT ${sql.placeholder("n")}::int + 1 AS next, ${columnParam("at", due)}::timestamptz AS at, ${sql.placeholder("s")}::text AS s`,
    );
    expect(st.text).toMatch(/\$1.*\$2.*\$3/s);
    const at = new Date("2026-12-06T10:15:00Z");
    const [a] = await runStatement<{ next: number; at: Date | string; s: string }>(t.db, st, { n: 41, at, s: "x'); DROP TABLE tickets; --" });
    expect(a.next).toBe(42);
    expect(new Date(a.at).toISOString()).toBe(at.toISOString());
    expect(a.s).toBe("x'); DROP TABLE tickets; --");
    const [b] = await t.db.transaction((tx) => runStatement<{ next: number; at: Date | null; s: string | null }>(tx, st, { n: 1, at: null, s: null }));
    expect(b).toEqual({ next: 2, at: null, s: null });
  });

  it("names a missing placeholder instead of sending a wrong parameter list", async () => {
    const st = buildStatement(sql`SELECT ${sql.placeholder("a")}::int AS a, ${sql.placeholder("b")}::int AS b`);
    await expect(runStatement(t.db, st, { a: 1 })).rejects.toThrow(/placeholder "b"/);
  });

  it("builtOnce builds on the first call only, with that call's arguments", () => {
    let builds = 0;
    const get = builtOnce((n: number) => {
      builds += 1;
      return { n };
    });
    const first = get(1);
    expect(get(2)).toBe(first);
    expect(first.n).toBe(1);
    expect(builds).toBe(1);
  });
});

describe("sqlExecutor (libraries' SQL runner) with and without prepare", () => {
  const text = "SELECT $1::int + 1 AS next, $2::text AS s, $3::text AS missing";

  it("gives the same rows either way, undefined as NULL, on the pool and in a transaction", async () => {
    for (const prepare of [false, true]) {
      const ex = sqlExecutor(t.db, { prepare });
      expect((await ex.executeSql(text, [41, "x'); --", undefined])).rows).toEqual([{ next: 42, s: "x'); --", missing: null }]);
      const inTx = await t.db.transaction((tx) => sqlExecutor(tx, { prepare }).executeSql(text, [1, "é", null]));
      expect(inTx.rows).toEqual([{ next: 2, s: "é", missing: null }]);
    }
  });

  // PGlite runs every statement unnamed: nothing to check there.
  it.skipIf(!process.env.DATABASE_URL)("on PostgreSQL keeps a prepared text as a named statement of its connection, and only then", async () => {
    expect(t.kind).toBe("postgres");
    const named = (tx: DbOrTx, probe: string) =>
      queryPrepared<{ n: number }>(tx, "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1", [probe]);
    await t.db.transaction(async (tx) => {
      const plain = `${text} -- plain`;
      const prepared = `${text} -- prepared`;
      await sqlExecutor(tx).executeSql(plain, [1, "a", null]);
      await sqlExecutor(tx, { prepare: true }).executeSql(prepared, [1, "a", null]);
      await sqlExecutor(tx, { prepare: true }).executeSql(prepared, [2, "b", null]);
      expect((await named(tx, plain))[0].n).toBe(0);
      expect((await named(tx, prepared))[0].n).toBe(1);
    });
  });
});
