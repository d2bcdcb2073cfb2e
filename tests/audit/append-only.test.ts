import { describe, expect, it, beforeAll } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { createTicket } from "@/lib/tickets/create-ticket";
import { useTestDb } from "../helpers/db";

/*
 * audit_events is append-only (trigger audit_events_append_only, migration 0015): UPDATE,
 * DELETE and TRUNCATE fail with SQLSTATE 42501 and leave every row as it was, on PGlite and
 * (with DATABASE_URL) PostgreSQL. The DBA escape documented in docs/AUDIT.md
 * (session_replication_role = replica) is checked inside a transaction that is rolled back.
 */

const t = useTestDb();

/** SQLSTATE of an error, looking through drizzle's wrapper (`cause`). */
function sqlState(e: unknown): string | undefined {
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (typeof cur.code === "string" && /^[0-9A-Z]{5}$/.test(cur.code)) return cur.code;
  }
  return undefined;
}

async function snapshot(): Promise<string> {
  const r = await rows<{ id: number; action: string; actor_label: string; before: unknown; after: unknown; at: string }>(
    t.db,
    sql`SELECT id, action, actor_label, before, after, at::text AS at FROM audit_events ORDER BY id`,
  );
  return JSON.stringify(r);
}

class Rollback extends Error {}

beforeAll(async () => {
  await createTicket(t.db, { title: "Printer on floor 3 is jammed", description: "Paper jam on every page since this morning", email: "ao-req@corp.test" }, { principal: null, defaultSource: "api" });
}, 120_000);

describe("audit_events is append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE with SQLSTATE 42501 and keeps the rows", async () => {
    const before = await snapshot();
    expect(JSON.parse(before).length).toBeGreaterThan(0);
    for (const stmt of [
      "UPDATE audit_events SET actor_label = 'someone else'",
      "UPDATE audit_events SET after = NULL WHERE action = 'ticket.created'",
      "DELETE FROM audit_events WHERE action = 'ticket.created'",
      "DELETE FROM audit_events",
      "TRUNCATE audit_events",
    ]) {
      const err = await t.db.execute(sql.raw(stmt)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${stmt} must fail`).not.toBeNull();
      expect(sqlState(err), stmt).toBe("42501");
      expect(String((err as Error).cause ?? err)).toMatch(/append-only/);
    }
    expect(await snapshot()).toBe(before);
  });

  it("still accepts INSERT (the application appends)", async () => {
    const [{ n: before }] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_events`);
    await createTicket(t.db, { title: "VPN drops every hour", description: "The VPN client disconnects hourly", email: "ao-req@corp.test" }, { principal: null, defaultSource: "api" });
    const [{ n: after }] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_events`);
    expect(after).toBeGreaterThan(before);
  });

  it("lets a DBA erase rows with session_replication_role = replica (in a transaction, rolled back here)", async () => {
    const before = await snapshot();
    let deleted = -1;
    const err = await t.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(sql`DELETE FROM audit_events WHERE action = 'ticket.created'`);
        const [{ n }] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'ticket.created'`);
        deleted = n;
        throw new Rollback("roll back");
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Rollback);
    expect(deleted).toBe(0);
    expect(await snapshot()).toBe(before);
    // Outside that transaction the trigger is back in force.
    expect(sqlState(await t.db.execute(sql`DELETE FROM audit_events`).catch((e: unknown) => e))).toBe("42501");
  });
});
