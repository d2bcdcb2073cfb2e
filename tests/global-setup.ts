import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Vitest global setup: dump one migrated in-memory PGlite cluster for this run, so every test
 * file's fresh database (tests/helpers/db.ts, DATA_DIR=memory://) loads it instead of running
 * initdb and all migrations again (about 3× faster per file). The dump is keyed by the
 * migrations' and PGlite's contents, written atomically and reused by later runs; the path
 * reaches the test workers as SWITCHBOARD_PGLITE_TEMPLATE (read by db/client.ts for
 * memory:// only).
 */
export default async function setup(): Promise<void> {
  const migrations = path.resolve("db/migrations");
  const hash = crypto.createHash("sha256");
  for (const f of fs.readdirSync(migrations, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name)).sort()) {
    hash.update(f.slice(migrations.length)).update(fs.readFileSync(f));
  }
  hash.update(fs.readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json")));
  const file = path.join(os.tmpdir(), `switchboard-pglite-template-${hash.digest("hex").slice(0, 16)}.tar`);
  if (!fs.existsSync(file)) {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = new PGlite({ extensions: { pg_trgm } });
    await client.waitReady;
    await migrate(drizzle(client) as never, { migrationsFolder: migrations });
    const dump = await client.dumpDataDir("none");
    await client.close();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
  }
  process.env.SWITCHBOARD_PGLITE_TEMPLATE = file;
}
