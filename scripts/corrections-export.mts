/**
 * Export agents' category corrections as a `text,label` CSV, for a full retrain:
 *   npm run corrections:export -- --out corrections.csv && npm run train -- --extra corrections.csv
 * On the embedded default run it while the app is stopped.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import { closeDb, getDb, rows } from "@/db/client";
import { normalizeTicketText } from "@/lib/triage/local/normalize";

const { values } = parseArgs({ options: { out: { type: "string", default: "corrections.csv" } } });
try {
  const db = await getDb();
  const found = await rows<{ title: string; description: string; label: string }>(
    db,
    sql`SELECT t.title, t.description, d.final_category AS label FROM triage_decisions d JOIN tickets t ON t.id = d.ticket_id
        WHERE d.overridden_by = 'agent' ORDER BY d.reviewed_at`,
  );
  const csv = stringify(
    found.map((r) => ({ text: normalizeTicketText({ title: r.title, description: r.description }), label: r.label })),
    { header: true, columns: ["text", "label"] },
  );
  fs.writeFileSync(values.out!, csv);
  console.log(`wrote ${found.length} corrections to ${values.out}`);
} catch (err) {
  console.error(`corrections:export: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
