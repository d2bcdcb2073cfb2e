import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { closeDb, getDb, rows } from "@/db/client";

process.env.DATA_DIR = "memory://";

describe("db smoke", () => {
  afterAll(closeDb);
  it("migrates and generates keys", async () => {
    const db = await getDb();
    await db.execute(sql`insert into teams (slug, name) values ('it', 'IT')`);
    await db.execute(sql`insert into categories (slug, name, team_slug) values ('hardware', 'Hardware', 'it')`);
    const r = await rows<{ key: string; search: string }>(
      db,
      sql`insert into tickets (title, description, requester_email, category_slug, priority, team_slug) values ('Printer jam', 'The printer on floor 2 is jammed', 'a@b.co', 'hardware', 'P3', 'it') returning key, search::text`,
    );
    expect(r[0].key).toBe("T-1");
    const d = await rows<{ n: number }>(db, sql`select sum(n)::int as n from ticket_count_deltas`);
    expect(d[0].n).toBe(1);
    const b = await rows<{ a: number; b: number; c: number; d: number }>(
      db,
      sql`select sb_duration_bucket(15)::int a, sb_duration_bucket(16)::int b, sb_duration_bucket(31)::int c, sb_duration_bucket(32)::int d`,
    );
    expect(b[0]).toEqual({ a: 15, b: 16, c: 23, d: 24 });
    const f = await rows<{ n: number }>(db, sql`select sb_fold_stats_deltas() as n`);
    expect(f[0].n).toBe(1);
  });
});
