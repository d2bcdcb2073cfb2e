/**
 * PostgreSQL connection URLs as operators write them for libpq (`psql`, `pg_dump`) and
 * node-postgres (pg-boss), turned into what postgres.js (the app's driver) expects.
 *
 * The one difference that matters: a Unix-domain socket. libpq and node-postgres take its
 * directory from the `host` query parameter,
 * `postgres://switchboard@localhost/switchboard?host=/var/run/postgresql` (the query's `host`
 * overrides the URL's host name; PostgreSQL documentation, libpq "Connection URIs"). postgres.js
 * would instead send every query parameter it does not know to the server as a run-time setting,
 * and PostgreSQL refuses the connection ("unrecognized configuration parameter host"). A socket
 * skips the loopback TCP stack on both ends: worth it when the app and PostgreSQL share a host
 * (docs/DEPLOYMENT.md).
 */

/** postgres.js connection options taken out of a URL's query (`host` and `port`). */
export interface PostgresJsHostOptions {
  /** A host name, or a socket directory when it starts with `/`. */
  host?: string;
  port?: number;
}

/**
 * Split a libpq-style URL into the URL postgres.js should parse and the options it cannot take
 * from the query: `host` (a socket directory such as `/var/run/postgresql`, or a host name) and
 * `port` (which, with a socket, names the socket file `.s.PGSQL.<port>`). Every other query
 * parameter (sslmode, application_name, …) stays in the URL. A URL without them is returned as
 * it came, with no options.
 *
 * @param url a `postgres://` or `postgresql://` URL (as `DATABASE_URL` holds it)
 * @returns `{url, options}`: call `postgres(url, {...yourOptions, ...options})`
 * @throws TypeError when `url` is not a URL, or `port` in its query is not an integer 1–65535
 */
export function postgresJsTarget(url: string): { url: string; options: PostgresJsHostOptions } {
  const u = new URL(url);
  const host = u.searchParams.get("host");
  const port = u.searchParams.get("port");
  if (host === null && port === null) return { url, options: {} };
  const options: PostgresJsHostOptions = {};
  if (host !== null && host !== "") options.host = host;
  if (port !== null) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new TypeError(`the port in the database URL's query is not a port number: ${port}`);
    options.port = n;
  }
  u.searchParams.delete("host");
  u.searchParams.delete("port");
  return { url: u.toString(), options };
}
