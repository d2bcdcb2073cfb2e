/*
 * Text helpers of the command grammar: cleaning the input, ticket keys, e-mail addresses and
 * the "subject" of a ticket command (a key, or "it"/"this" for the ticket on screen).
 */

/**
 * Trims and collapses white space, drops polite lead-ins ("please", "can you") and splits off
 * the end: trailing "?", "!", "." and ", please"/"thanks". `command` is what the rules read;
 * `tail` is what was split off (given back to free text that ends the command, see index.ts).
 */
export function cleanCommand(input: string): { command: string; tail: string } {
  let s = input.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, " ").trim();
  if (/^\?+$/.test(s)) return { command: "?", tail: "" };
  s = s.replace(/^(?:(?:please|pls|hey|ok|okay|could you|can you|would you|i want to|i'd like to|i would like to)[,]?\s+)+/i, "");
  const end = /(?:[\s,]+(?:please|pls|thanks|thank you))*[\s?!.]*$/i.exec(s)!;
  return { command: s.slice(0, end.index).trim(), tail: s.slice(end.index) };
}

/**
 * A ticket key as people type it: `T-12`, `t12`, `T 12`, `t_12` or `#12` (case-insensitive);
 * group 1 is the number. Not preceded by a letter, digit or "@" (so "at 12" is no key).
 */
export const KEY_SOURCE = String.raw`(?<![\w@])(?:t[-_ ]?|#)([1-9]\d{0,15})\b`;

/** `T-<n>` for a key match's number. */
export function keyOf(num: string): string {
  return `T-${num}`;
}

/** The distinct ticket keys anywhere in `text`, in order. */
export function findKeys(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(new RegExp(KEY_SOURCE, "gi"))) if (!out.includes(keyOf(m[1]))) out.push(keyOf(m[1]));
  return out;
}

/** An e-mail address (group 0). */
export const EMAIL_SOURCE = String.raw`[^\s@,;:<>()"']+@[^\s@,;:<>()"']+\.[a-z]{2,}`;

/**
 * The ticket a command is about, read at the start of `text`:
 * - `{ key, rest }` for a key (or "it"/"this"/"this ticket"/"that one" with `contextKey`);
 * - `{ keys }` when several keys follow each other ("close T-1 T-2", "T-1 and T-2");
 * - `{ missingContext: true, rest }` for "it"/"this" without a ticket on screen;
 * - null when `text` does not start with a ticket.
 */
export type Subject =
  | { key: string; rest: string }
  | { keys: string[]; rest: string }
  | { missingContext: true; rest: string };

export function readSubject(text: string, contextKey: string | undefined): Subject | null {
  const many = new RegExp(String.raw`^(?:tickets?\s+)?${KEY_SOURCE}((?:\s*(?:,|and|&|\+)?\s*${KEY_SOURCE.replace("([1-9]", "(?:[1-9]")})*)`, "i").exec(text);
  if (many) {
    const keys = findKeys(many[0]);
    const rest = text.slice(many[0].length).trim();
    return keys.length > 1 ? { keys, rest } : { key: keys[0], rest };
  }
  const pronoun = /^(?:it|this(?:\s+(?:ticket|one))?|that(?:\s+(?:ticket|one))?|the ticket)\b/i.exec(text);
  if (!pronoun) return null;
  const rest = text.slice(pronoun[0].length).trim();
  return contextKey ? { key: contextKey, rest } : { missingContext: true, rest };
}

/** Lower-case words of a name or slug for comparison: "Identity & Access" → "identity access". */
export function normalizeName(s: string): string {
  return s
    .toLowerCase()
    .replace(/&|\band\b/g, " ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Removes a separator (",", ":", ";", " - ", "with", "because") at the start of free text. */
export function stripLeadSeparator(s: string): string {
  return s.replace(/^(?:[,;:\-–—]+\s*|(?:with|because|as|by saying|saying|that)\s+)/i, "").trim();
}
