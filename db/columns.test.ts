import { describe, expect, it } from "vitest";
import { getTableColumns } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { aliasedColumns, mapAliasedRow } from "./columns";
import { slaPolicies, ticketSlas } from "./schema";

const dialect = new PgDialect();

describe("aliasedColumns", () => {
  it("selects every column of the table under the prefixed property name", () => {
    const q = dialect.sqlToQuery(aliasedColumns(ticketSlas, "s", "s_")).sql;
    expect(q).toContain(`"s"."ticket_id" AS "s_ticketId"`);
    expect(q).toContain(`"s"."first_response_due_at" AS "s_firstResponseDueAt"`);
    expect(q.match(/ AS /g)).toHaveLength(Object.keys(getTableColumns(ticketSlas)).length);
  });

  it("refuses an alias or prefix that is not a plain identifier", () => {
    expect(() => aliasedColumns(ticketSlas, `s"; DROP TABLE x; --`, "")).toThrow(/bad identifier/);
    expect(() => aliasedColumns(ticketSlas, "s", `p"`)).toThrow(/bad identifier/);
  });
});

describe("mapAliasedRow", () => {
  it("decodes each value with its column: timestamps text to Date, bigint to number, jsonb text to objects, arrays", () => {
    const row = mapAliasedRow(ticketSlas, "s_", {
      s_ticketId: "42",
      s_policyName: "P1 24x7",
      s_firstResponseDueAt: "2026-12-06 10:15:00+00",
      s_pausedAt: null,
      s_nextResponseCycle: 2,
    });
    expect(row).not.toBeNull();
    expect(row!.ticketId).toBe(42);
    expect(row!.firstResponseDueAt).toEqual(new Date("2026-12-06T10:15:00Z"));
    expect(row!.pausedAt).toBeNull();
    expect(row!.nextResponseCycle).toBe(2);
    // a column missing from the driver row is null, not undefined
    expect(row!.resolutionDueAt).toBeNull();

    const policy = mapAliasedRow(slaPolicies, "p_", { p_escalation: '{"breach":{"notify":["lead"]}}', p_pauseOn: ["requester"], p_active: true });
    expect(policy!.escalation).toEqual({ breach: { notify: ["lead"] } });
    expect(policy!.pauseOn).toEqual(["requester"]);
  });

  it("keeps Date values a driver already decoded (PGlite)", () => {
    const at = new Date("2026-12-06T10:15:00Z");
    expect(mapAliasedRow(ticketSlas, "", { firstResponseDueAt: at })!.firstResponseDueAt).toEqual(at);
  });

  it("is null for the all-null row of an unmatched LEFT JOIN", () => {
    expect(mapAliasedRow(ticketSlas, "s_", { s_ticketId: null, s_policyName: null, other: 1 })).toBeNull();
  });
});
