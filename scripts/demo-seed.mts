/**
 * Seed the configured database (PGlite under DATA_DIR, or DATABASE_URL) for a demo: reference
 * data, the published demo users and ~300 hand-written tickets (lib/demo/desk), and mark the install as a demo (the
 * sign-in page then lists the demo accounts). Idempotent. Run by `npm run demo` and the e2e
 * server BEFORE `next start`: PGlite can be opened by one process at a time, so this closes the
 * database before exiting. Never part of a production start.
 *   tsx --import ./scripts/lib/server-only-register.mjs scripts/demo-seed.mts [--tickets N]
 */
import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/db/client";
import { seedDemo } from "@/lib/demo/seed";

const { values } = parseArgs({ options: { tickets: { type: "string" } } });
const ticketLimit = values.tickets === undefined ? undefined : Number(values.tickets);
if (ticketLimit !== undefined && !(Number.isInteger(ticketLimit) && ticketLimit >= 0)) {
  console.error("demo-seed: --tickets must be a whole number ≥ 0");
  process.exit(2);
}
try {
  const t0 = Date.now();
  const r = await seedDemo(await getDb(), { ticketLimit });
  console.log(
    r.users || r.tickets
      ? `Demo data seeded: ${r.users ? "demo users, " : ""}${r.tickets} tickets (${((Date.now() - t0) / 1000).toFixed(1)} s)`
      : "Demo data already present",
  );
} catch (err) {
  console.error(`demo-seed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
