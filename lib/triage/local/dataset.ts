/**
 * CSV loading for training / evaluation (Node only).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { env } from "@/lib/env";
import { toSlug } from "./labels";
import { normalizeTicketText } from "./normalize";

/** Directory of the IT-tickets dataset: env DATASET_DIR or ../shared/datasets/it-tickets/ relative to cwd. */
export function datasetDir(): string {
  return resolve(env().DATASET_DIR ?? "../shared/datasets/it-tickets/");
}

export interface CsvExample {
  /** normalised text (training-corpus style) */
  text: string;
  /** category slug */
  label: string;
}

/**
 * Read a labelled CSV with a header. Accepted columns: `text,label` (text assumed already
 * normalised unless `normalize` is true) or `title,description,label` (always normalised via
 * normalizeTicketText). Labels may be dataset names ("HR Support") or slugs.
 * @throws Error if the file is unreadable or lacks the needed columns.
 */
export function readLabelledCsv(path: string, opts: { normalize?: boolean; limit?: number } = {}): CsvExample[] {
  const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]);
  if (!cols.includes("label")) throw new Error(`${path}: missing 'label' column (have ${cols.join(",")})`);
  const hasText = cols.includes("text");
  const hasDesc = cols.includes("description");
  if (!hasText && !hasDesc) throw new Error(`${path}: need a 'text' or 'title,description' column`);
  const out: CsvExample[] = [];
  for (const r of rows) {
    if (opts.limit !== undefined && out.length >= opts.limit) break;
    if (!r.label || !r.label.trim()) continue;
    let text: string;
    if (hasDesc) text = normalizeTicketText({ title: r.title ?? "", description: r.description ?? "" });
    else text = opts.normalize ? normalizeTicketText({ description: r.text ?? "" }) : (r.text ?? "").trim();
    out.push({ text, label: toSlug(r.label) });
  }
  return out;
}
