import { spawn } from "node:child_process";
import path from "node:path";

/*
 * pg_dump / pg_restore as child processes. The connection goes in as a URL without its password
 * (query options such as sslmode kept) plus PGPASSWORD in the child's environment, so the
 * password never shows in a process list.
 */

/** Split a postgres:// URL into a password-free URL for libpq tools and the password. */
export function libpqTarget(url: string): { dbname: string; password: string | undefined } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = "";
  return { dbname: u.toString(), password };
}

/**
 * Run a PostgreSQL client tool (`pg_dump`, `pg_restore`) against `url`.
 * @param pgBin folder of the tools (e.g. /usr/lib/postgresql/16/bin); default: found on PATH.
 *   The tools must be at least the server's major version.
 * @throws Error with the tool's stderr when it exits non-zero or cannot be started
 */
export function runPgTool(tool: "pg_dump" | "pg_restore", url: string, args: string[], pgBin?: string): Promise<void> {
  const { dbname, password } = libpqTarget(url);
  const bin = pgBin ? path.join(pgBin, tool) : tool;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [`--dbname=${dbname}`, ...args], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...(password === undefined ? {} : { PGPASSWORD: password }) },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err) => reject(new Error(`${tool} could not start (${err.message}); install the PostgreSQL client tools or pass --pg-bin`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${stderr.trim()}`))));
  });
}
