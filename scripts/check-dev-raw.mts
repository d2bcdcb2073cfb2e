/**
 * npx tsx scripts/check-dev-raw.mts FILE.csv [DEV.csv]
 *
 * Checks a raw rewrite file (columns title,description,label,source_id) against dev.csv:
 * the source exists with the same label, every content word of the original survives the
 * normaliser, and the text looks raw. Prints one line per problem; exit 1 when any.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { toSlug } from "../lib/triage/local/labels";
import { checkRewrite } from "../lib/triage/local/raw-rewrite";

const [file, devPath = "../shared/datasets/it-tickets/dev.csv"] = process.argv.slice(2);
const dev = new Map<string, { text: string; label: string }>();
for (const r of parse(readFileSync(devPath), { columns: true }) as { id: string; text: string; label: string }[]) dev.set(r.id, r);
const rows = parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
let bad = 0;
const per = new Map<string, number>();
for (const [i, r] of rows.entries()) {
  const src = dev.get(r.source_id);
  const where = `row ${i + 2} (${r.source_id})`;
  if (!src) { console.log(`${where}: unknown source_id`); bad++; continue; }
  if (toSlug(src.label) !== toSlug(r.label ?? "")) { console.log(`${where}: label ${r.label} ≠ dev ${src.label}`); bad++; }
  const c = checkRewrite(src.text, { title: r.title ?? "", description: r.description ?? "" });
  if (c.missing.length) { console.log(`${where}: missing words: ${c.missing.join(" ")}`); bad++; }
  if (!c.raw) { console.log(`${where}: does not look raw (needs a title, capitals, punctuation)`); bad++; }
  per.set(toSlug(r.label), (per.get(toSlug(r.label)) ?? 0) + 1);
}
console.log(`${rows.length} rows, ${bad} problems; per label: ${[...per].map(([l, n]) => `${l} ${n}`).join(", ")}`);
process.exit(bad ? 1 : 0);
