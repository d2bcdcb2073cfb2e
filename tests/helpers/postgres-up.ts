import postgres from "postgres";

/**
 * True when a PostgreSQL server answers `select 1` at `url` within 3 s; for suites that need the
 * real server and skip (outside CI) when it is not there.
 */
export async function postgresAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 2 });
  }
}
