import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/*
 * pg_dump / pg_restore as child processes. The password never goes on their command line (where
 * any local user could read it in the process list): the URL passed to them names a temporary
 * password file (libpq's `passfile` parameter, mode 0600, removed afterwards) instead.
 */

/**
 * A password-free libpq connection URL for `url` (query options such as sslmode kept) and the
 * password it carried, if any.
 */
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
export async function runPgTool(tool: "pg_dump" | "pg_restore", url: string, args: string[], pgBin?: string): Promise<void> {
  const { dbname, password } = libpqTarget(url);
  const bin = pgBin ? path.join(pgBin, tool) : tool;
  let tmp: string | undefined;
  let target = dbname;
  if (password !== undefined) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-pgpass-"));
    const passfile = path.join(tmp, "pgpass");
    // pgpass line: host:port:database:user:password, `\` and `:` escaped; `*` matches anything.
    fs.writeFileSync(passfile, `*:*:*:*:${password.replace(/\\/g, "\\\\").replace(/:/g, "\\:")}\n`, { mode: 0o600 });
    const u = new URL(dbname);
    u.searchParams.set("passfile", passfile);
    target = u.toString();
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin, [`--dbname=${target}`, ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("error", (err) => reject(new Error(`${tool} could not start (${err.message}); install the PostgreSQL client tools or pass --pg-bin`)));
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}: ${stderr.trim()}`))));
    });
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
