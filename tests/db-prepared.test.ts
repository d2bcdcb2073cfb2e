import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { buildStatement, builtOnce, columnParam, runStatement } from "@/db/prepared";
import { ticketSlas } from "@/db/schema";
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
