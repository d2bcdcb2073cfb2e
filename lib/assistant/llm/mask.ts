import { redact } from "@/lib/llm/redact";

/*
 * Text of assistant commands on its way to an external LLM. Like triage, it is redacted
 * (lib/llm/redact.ts), with one difference: commands name people by e-mail ("for
 * jo@example.com", "assign T-3 to maria@corp.test"), and the operation needs the real address.
 * So e-mail addresses become numbered placeholders ([EMAIL_1], [EMAIL_2], …) that
 * {@link unmaskEmails} puts back into the model's tool arguments; everything else redact()
 * catches (secrets, phone, card and account numbers) leaves as its placeholder and is not restored.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PLACEHOLDER = /\[EMAIL_(\d{1,4})\]/g;

/** The e-mail addresses seen so far, in placeholder order ([EMAIL_1] is emails[0]). */
export interface EmailMask {
  emails: string[];
}

/** A new, empty mask: share one across the messages of a request so an address gets one number. */
export function newEmailMask(): EmailMask {
  return { emails: [] };
}

/** `text` with e-mail addresses numbered into `mask` and everything else redacted. */
export function maskForLlm(text: string, mask: EmailMask): string {
  const numbered = text.replace(EMAIL, (m) => {
    const email = m.toLowerCase();
    let i = mask.emails.indexOf(email);
    if (i < 0) i = mask.emails.push(email) - 1;
    return `[EMAIL_${i + 1}]`;
  });
  return redact(numbered).text;
}

/**
 * `value` (parsed tool arguments) with [EMAIL_n] placeholders in its strings replaced by the
 * addresses of `mask`; a number the mask does not know stays as it is (and fails the schema).
 */
export function unmaskEmails(value: unknown, mask: EmailMask): unknown {
  if (typeof value === "string") return value.replace(PLACEHOLDER, (m, n: string) => mask.emails[Number(n) - 1] ?? m);
  if (Array.isArray(value)) return value.map((v) => unmaskEmails(v, mask));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmaskEmails(v, mask)]));
  return value;
}
