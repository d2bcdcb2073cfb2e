import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { ensurePrivateDir, lockFolder, restrictTree } from "@/db/pglite-folder";

/** File of a PGlite backup's dump (PGlite dumpDataDir, gzip tar). */
export const PGLITE_DUMP_FILE = "pglite.tar.gz";

/** The embedded database's folder under DATA_DIR (as db/client.ts opens it). */
export function pgliteFolder(dataDirPath: string): string {
  return path.join(dataDirPath, "pglite");
}

/**
 * Open an embedded database folder for a backup or restore, holding the same one-process lock
 * as the app (db/pglite-folder.ts) and without migrating it. `loadDataDir` seeds an empty folder
 * from a dump.
 * @throws Error when the folder is in use by a running Switchboard (stop it first)
 */
export async function openPgliteFolder(folder: string, loadDataDir?: Blob): Promise<{ client: PGlite; close: () => Promise<void> }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  ensurePrivateDir(path.dirname(folder));
  ensurePrivateDir(folder);
  let release: () => void;
  try {
    release = lockFolder(folder);
  } catch (err) {
    throw new Error(`the embedded database ${folder} is in use; stop Switchboard first (PGlite serves one process): ${err instanceof Error ? err.message : String(err)}`);
  }
  let client: PGlite;
  try {
    client = new PGlite(folder, { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
    await client.waitReady;
  } catch (err) {
    release();
    throw err;
  }
  return {
    client,
    close: async () => {
      try {
        await client.close();
        restrictTree(folder);
      } finally {
        release();
      }
    },
  };
}
