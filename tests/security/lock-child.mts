/**
 * Child process for tests/security/data-dir.test.ts: try to lock a PGlite folder, print
 * "locked" or "error: <message>", hold the lock for <holdMs>, then release and exit.
 *   node --import tsx tests/security/lock-child.mts <folder> <holdMs> [startAtEpochMs]
 */
import { lockFolder } from "../../db/pglite-folder";

const [folder, holdMs, startAt] = process.argv.slice(2);
if (startAt) while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
try {
  const release = lockFolder(folder);
  console.log("locked");
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  release();
} catch (err) {
  console.log(`error: ${(err as Error).message}`);
}
