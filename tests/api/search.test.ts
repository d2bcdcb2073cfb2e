import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { searchTicketIds } from "@/lib/tickets/search";
import { useTestDb } from "../helpers/db";

const t = useTestDb();

describe("adaptive full-text search", () => {
  it("returns exactly what the plain query returns, for common, mid-frequency, rare and absent terms", async () => {
    // 12,000 tickets over a year; 'alpha' in every 5th, 'beta' in every 60th, 'gamma' in every 3,000th
    await t.db.execute(sql`
      INSERT INTO tickets (title, description, requester_email, category_slug, priority, status, created_at)
      SELECT 'Ticket ' || g,
             concat_ws(' ', 'generic text', CASE WHEN g % 5 = 0 THEN 'alpha' END, CASE WHEN g % 60 = 0 THEN 'beta' END,
                       CASE WHEN g % 3000 = 0 THEN 'gamma' END, 'number ' || g),
             'user' || (g % 7) || '@corp.test', 'hardware', 'P3',
             (ARRAY['new','open','closed'])[1 + g % 3]::ticket_status,
             timestamptz '2026-01-01' + (g * interval '43 minutes') - (g % 11) * interval '17 hours'
      FROM generate_series(1, 12000) g`);

    const plain = async (where: ReturnType<typeof sql>, q: string, limit: number) =>
      (
        await rows<{ id: number }>(
          t.db,
          sql`SELECT id::float8 AS id FROM tickets WHERE ${where} AND search @@ websearch_to_tsquery('english', ${q})
              ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${limit}`,
        )
      ).map((r) => Number(r.id));

    const cases: [string, ReturnType<typeof sql>][] = [
      ["alpha", sql`true`],
      ["beta", sql`true`],
      ["gamma", sql`true`],
      ["delta", sql`true`],
      ["alpha generic", sql`status = 'open'`],
      ["beta", sql`requester_email = 'user3@corp.test'`],
      ["beta", sql`(created_at, id) < (timestamptz '2026-06-01', 999999)`],
      ['"generic text" -alpha', sql`true`],
    ];
    for (const [q, where] of cases) {
      for (const limit of [1, 26, 101]) {
        const got = (await searchTicketIds(t.db, where, sql`search @@ websearch_to_tsquery('english', ${q})`, limit)).map((h) => h.id);
        expect(got, `${q} / limit ${limit}`).toEqual(await plain(where, q, limit));
      }
    }
  }, 120_000);
});
