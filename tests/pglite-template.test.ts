import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import fs from "node:fs";
import { rows } from "@/db/client";
import { useTestDb } from "./helpers/db";

const t = useTestDb();

describe("test databases", () => {
  it.skipIf(Boolean(process.env.DATABASE_URL))("an in-memory PGlite starts from the run's migrated template, with every migration applied", async () => {
    expect(t.kind).toBe("pglite");
    const template = process.env.SWITCHBOARD_PGLITE_TEMPLATE;
    expect(template && fs.existsSync(template)).toBeTruthy();
    const journal = JSON.parse(fs.readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    const applied = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    expect(applied[0].n).toBe(journal.entries.length);
    const trgm = await rows<{ s: number }>(t.db, sql`SELECT similarity('printer', 'priner')::float8 AS s`);
    expect(trgm[0].s).toBeGreaterThan(0.3);
  });
});
