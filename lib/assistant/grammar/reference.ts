import { normalizeName } from "./text";

/*
 * Matching category and team words against the desk's reference data (GrammarContext
 * categories/teams). A phrase matches a reference exactly when its normalized words equal the
 * normalized name or slug (plural "s" ignored): "hardware", "identity access", "Identity & Access",
 * "end-user-computing". In explicit places ("category X", "team X", "move T-4 to X") a phrase
 * also matches partially: every word of the phrase is a word of the name or slug ("identity").
 */

export interface Ref {
  slug: string;
  name: string;
}

function forms(ref: Ref): string[] {
  return [normalizeName(ref.name), normalizeName(ref.slug.replace(/-/g, " "))];
}

const singular = (s: string) => s.replace(/(\w{3,}?)s\b/g, "$1");

/** References whose name or slug equals `phrase` (normalized, plural "s" ignored). */
export function exactRefs(phrase: string, refs: readonly Ref[]): Ref[] {
  const p = singular(normalizeName(phrase));
  if (!p) return [];
  return refs.filter((r) => forms(r).some((f) => singular(f) === p));
}

/** Exact matches when there are any, else references containing every word of `phrase`. */
export function matchRefs(phrase: string, refs: readonly Ref[]): Ref[] {
  const exact = exactRefs(phrase, refs);
  if (exact.length) return exact;
  const words = singular(normalizeName(phrase)).split(" ").filter(Boolean);
  if (!words.length) return [];
  return refs.filter((r) => {
    const have = new Set(forms(r).flatMap((f) => singular(f).split(" ")));
    return words.every((w) => have.has(w));
  });
}

/** Lower-case words of every name and slug (kept as written by the typo corrector). */
export function refWords(refs: readonly Ref[]): Set<string> {
  return new Set(refs.flatMap((r) => forms(r).flatMap((f) => f.split(" "))));
}

/**
 * Categories and teams a phrase names: exact matches of either kind win over partial ones
 * ("storage" is category Storage, not team Infrastructure & Storage).
 */
export function categoriesOrTeams(phrase: string, categories: readonly Ref[], teams: readonly Ref[]): { cats: Ref[]; teams: Ref[] } {
  const exact = { cats: exactRefs(phrase, categories), teams: exactRefs(phrase, teams) };
  if (exact.cats.length + exact.teams.length) return exact;
  return { cats: matchRefs(phrase, categories), teams: matchRefs(phrase, teams) };
}
