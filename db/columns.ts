import { getTableColumns, sql, type InferSelectModel, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/*
 * Whole-table rows in hand-built statements (db/client.ts queryPrepared), for hot paths that
 * build their SQL once per process instead of through drizzle's query builder on every call:
 * select a table's columns under prefixed aliases, and map a driver row back into the table's
 * typed row with each column's own decoder (the same `mapFromDriverValue` drizzle applies).
 */

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * `"alias"."column" AS "<prefix><key>", …` for every column of `table` (key = the schema's
 * property name). `alias` and `prefix` come from code, never from input.
 * @throws Error on an alias or prefix that is not a plain lower-case identifier.
 */
export function aliasedColumns(table: PgTable, alias: string, prefix: string): SQL {
  if (!IDENT.test(alias) || !(prefix === "" || IDENT.test(prefix))) throw new Error("aliasedColumns: bad identifier");
  const parts = Object.entries(getTableColumns(table)).map(([key, col]) => `"${alias}"."${col.name}" AS "${prefix}${key}"`);
  return sql.raw(parts.join(", "));
}

/**
 * The typed row of `table` from a driver row selected with {@link aliasedColumns} (`prefix`
 * the same), each value decoded by its column (timestamps to Date, bigint in number mode to
 * number, jsonb text to objects, …); null stays null.
 * @returns null when every column of the table is null (the row of an unmatched LEFT JOIN).
 */
export function mapAliasedRow<T extends PgTable>(table: T, prefix: string, row: Record<string, unknown>): InferSelectModel<T> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = row[prefix + key];
    if (v === null || v === undefined) out[key] = null;
    else {
      any = true;
      out[key] = col.mapFromDriverValue(v);
    }
  }
  return any ? (out as InferSelectModel<T>) : null;
}
