import { normalizeHeader as normalizeSheetHeader } from "@/lib/files/sheets/header";

/*
 * Tolerant header matching for compliance rules: a rule naming "Expiry date" finds the column
 * headed "EXPIRY_DATE", "Expiry-Date " or "expiry  date". Pure; safe in client components.
 */

/**
 * The comparable form of a header: compatibility-decomposed (NFKD), lower case, accents removed, and everything
 * but letters and digits dropped ("Expiry date (UTC)" → "expirydateutc").
 */
export function normalizeHeader(header: string): string {
  // The sheet reader's normalizer (lib/files/sheets/header.ts) with its word spaces removed.
  return normalizeSheetHeader(header).replace(/ /g, "");
}

/**
 * Index of each normalized header (the first column wins when two headers normalize alike).
 * Build it once per sheet and look columns up with {@link findColumn}.
 */
export function headerIndex(headers: readonly string[]): ReadonlyMap<string, number> {
  const idx = new Map<string, number>();
  headers.forEach((h, i) => {
    const k = normalizeHeader(h);
    if (k && !idx.has(k)) idx.set(k, i);
  });
  return idx;
}

/** The 0-based column index of `name` in a sheet's header index, or -1 when absent. */
export function findColumn(index: ReadonlyMap<string, number>, name: string): number {
  return index.get(normalizeHeader(name)) ?? -1;
}
