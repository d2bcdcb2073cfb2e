import { fillPlaceholders, sql, type Column, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { queryPrepared, type DbOrTx } from "./client";

/*
 * Statements built once per process for hot paths (the one-statement ticket write, the SLA
 * clock's recompute): drizzle's query builder costs ~0.3 ms of CPU per statement per call, so
 * these are built from the schema's tables and columns once, with named placeholders
 * (`sql.placeholder(name)`) for the values, and each call only fills the placeholders and runs
 * the fixed text as a prepared statement (db/client.ts queryPrepared: planned once per
 * connection).
 */

/** A built statement: fixed SQL text with `$1…$n`, and drizzle's params (values and named placeholders, in order). */
export interface BuiltStatement {
  readonly text: string;
  readonly params: readonly unknown[];
}

const dialect = new PgDialect();

/** The text and params of a drizzle `sql` template or query builder (`.getSQL()`), built once by the caller. */
export function buildStatement(query: SQL): BuiltStatement {
  const q = dialect.sqlToQuery(query);
  return { text: q.sql, params: q.params };
}

/**
 * A memo for a process's statements: `build` runs on the first call only, with that call's
 * arguments (e.g. a database handle whose query builder it uses; the built text does not depend
 * on which one), and later calls return the same value whatever their arguments.
 */
export function builtOnce<A extends unknown[], T>(build: (...args: A) => T): (...args: A) => T {
  let value: T | undefined;
  let done = false;
  return (...args: A) => {
    if (!done) {
      value = build(...args);
      done = true;
    }
    return value as T;
  };
}

/**
 * Run a built statement on the pool or in the caller's transaction, with `values` by
 * placeholder name (drizzle's `fillPlaceholders`, which also applies the encoders attached to
 * each placeholder, e.g. JSON text for jsonb).
 * @throws (rejects) Error when a placeholder has no value in `values`; database errors as thrown by the driver.
 */
export async function runStatement<T extends Record<string, unknown>>(
  db: DbOrTx,
  statement: BuiltStatement,
  values: Record<string, unknown> = {},
): Promise<T[]> {
  return queryPrepared<T>(db, statement.text, fillPlaceholders(statement.params as unknown[], values));
}

/**
 * A value placeholder named `key` that applies `column`'s encoder (Date to ISO text, objects to
 * JSON, …) and passes null and undefined through as SQL NULL.
 */
export function columnParam(key: string, column: Column): SQL {
  return sql`${sql.param(sql.placeholder(key), {
    mapToDriverValue: (v: unknown) => (v === null || v === undefined ? null : column.mapToDriverValue(v)),
  })}`;
}
