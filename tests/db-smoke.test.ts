import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { useTestDb } from "./helpers/db";

const t = useTestDb();

describe("database", () => {
  it("migrates, derives ticket keys and durations, and feeds the stats deltas", async () => {
    const db = t.db;
    const r = await rows<{ key: string; first_response_s: number }>(
      db,
      sql`insert into tickets (title, description, requester_email, category_slug, priority, team_slug, created_at, first_response_at)
          values ('Printer jam', 'The printer on floor 2 is jammed', 'a@b.co', 'hardware', 'P3', 'end-user-computing',
                  '2026-01-01T10:00:00Z', '2026-01-01T10:05:30Z')
          returning key, first_response_s`,
    );
    expect(r[0].key).toMatch(/^T-\d+$/);
    expect(r[0].first_response_s).toBe(330);
    const d = await rows<{ n: number }>(db, sql`select sum(n)::int as n from ticket_count_deltas`);
    expect(d[0].n).toBe(1);
    const b = await rows<{ a: number; b: number; c: number; d: number }>(
      db,
      sql`select sb_duration_bucket(15)::int a, sb_duration_bucket(16)::int b, sb_duration_bucket(31)::int c, sb_duration_bucket(32)::int d`,
    );
    expect(b[0]).toEqual({ a: 15, b: 16, c: 23, d: 24 });
    const f = await rows<{ n: number }>(db, sql`select sb_fold_stats_deltas() as n`);
    expect(Number(f[0].n)).toBe(2);
  });

  it("enforces lengths, enums and foreign keys in the database itself", async () => {
    const db = t.db;
    const attempts = [
      sql`insert into tickets (title, description, requester_email, category_slug, priority) values (${"x".repeat(201)}, 'd', 'a@b.co', 'hardware', 'P3')`,
      sql`insert into tickets (title, description, requester_email, category_slug, priority) values ('t', 'd', 'a@b.co', 'hardware', 'P9')`,
      sql`insert into tickets (title, description, requester_email, category_slug, priority) values ('t', 'd', 'a@b.co', 'no-such-category', 'P3')`,
      sql`insert into tickets (title, description, requester_email, category_slug, priority) values ('t', 'd', 'Upper@Case.co', 'hardware', 'P3')`,
      sql`insert into tickets (title, description, requester_email, category_slug, priority) values ('  ', 'd', 'a@b.co', 'hardware', 'P3')`,
    ];
    for (const q of attempts) await expect(db.execute(q)).rejects.toThrow();
  });
});
