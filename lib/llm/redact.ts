/**
 * Redaction applied to every text before it leaves for an external LLM: e-mail addresses,
 * phone numbers, payment card numbers (Luhn-checked), IBAN-like account numbers, and secrets
 * (provider API keys, tokens, private keys, JWTs, and values after "password:"/"pwd="/"api key="
 * and the like) become placeholders such as `[EMAIL]`. Deliberately greedy for secrets: a
 * false positive costs a little context, a false negative leaks a credential.
 */
export type RedactionKind = "email" | "phone" | "card" | "iban" | "secret";

export interface Redacted {
  text: string;
  /** How many of each kind were replaced. */
  counts: Record<RedactionKind, number>;
}

const PLACEHOLDER: Record<RedactionKind, string> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  card: "[CARD]",
  iban: "[IBAN]",
  secret: "[SECRET]",
};

/** Luhn checksum (ISO/IEC 7812) over the digits of a candidate card number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Order matters: secrets and structured numbers before the broad phone pattern.
const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\b(?:sk|rk|pk)-(?:proj-|live-|test-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Stripe style
  /\bgsk_[A-Za-z0-9]{20,}/g, // Groq
  /\bsb_[A-Za-z0-9_-]{20,}/g, // Switchboard API keys
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g,
  /\b[0-9a-f]{32,}\b/gi, // long hex tokens
];
/** "password: hunter2", "pwd=…", "API key is …": keep the label, drop the value. */
const LABELLED_SECRET =
  /\b(pass(?:word|wd|phrase|code)?|pwd|pin|secret|token|api[ _-]?key|access[ _-]?key|client[ _-]?secret|credentials?)(\s*(?:is|was|:|=|->)\s*|\s+)(["']?)([^\s"',;]{3,})\3/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const PHONE = /(?<![\w/.:-])(?:\+|00)?\(?\d[\d\s().-]{6,18}\d(?![\w/:-]|\.\d)/g;

/** Redact personal data and secrets. Pure; the same input gives the same output. */
export function redact(input: string): Redacted {
  const counts: Record<RedactionKind, number> = { email: 0, phone: 0, card: 0, iban: 0, secret: 0 };
  const put = (kind: RedactionKind) => {
    counts[kind]++;
    return PLACEHOLDER[kind];
  };
  let t = input;
  for (const re of SECRET_PATTERNS) t = t.replace(re, () => put("secret"));
  t = t.replace(LABELLED_SECRET, (m, label: string, sep: string, _q: string, value: string) =>
    value.startsWith("[") && value.endsWith("]") ? m : `${label}${sep}${put("secret")}`,
  );
  t = t.replace(EMAIL, () => put("email"));
  t = t.replace(IBAN, (m) => (m.replace(/ /g, "").length >= 15 ? put("iban") : m));
  t = t.replace(CARD, (m) => {
    const digits = m.replace(/\D/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? put("card") : m;
  });
  t = t.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, "");
    if (digits.length < 7 || digits.length > 15) return m;
    const bare = m.trim().replace(/^\(/, ""); // "(2024-11-30" is a date in parentheses, not a phone
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(bare) || /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(bare)) return m; // dates
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) return m; // IPv4
    return put("phone");
  });
  return { text: t, counts };
}
