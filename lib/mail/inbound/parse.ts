import "server-only";
import crypto from "node:crypto";
import { simpleParser, type AddressObject, type Attachment, type HeaderValue } from "mailparser";

/** A message id as RFC 5322 writes it: `<left@right>`, at most 998 characters (the column's size). */
export const MESSAGE_ID_MAX = 998;

/** One attachment of an inbound message, decoded. */
export interface InboundAttachment {
  filename: string;
  /** Content-Type the sender declared (lower case, no parameters). */
  contentType: string;
  content: Buffer;
  size: number;
  /** Part of a multipart/related body (an inline image the HTML references by cid:). */
  related: boolean;
}

/** What ingestion needs from a parsed RFC 822 message. */
export interface ParsedInbound {
  /** `<…>` from the Message-ID header, or `<sha256-of-raw@inbound.invalid>` when missing. */
  messageId: string;
  /** Whether the Message-ID was made up from the raw bytes (the header was missing or empty). */
  messageIdSynthetic: boolean;
  /** From address, lower case; null when missing or not an address. */
  from: string | null;
  /** Display name of the From, if any. */
  fromName: string | null;
  subject: string;
  to: string[];
  cc: string[];
  /** In-Reply-To and References ids, `<…>` each, nearest parent first, no duplicates. */
  parentIds: string[];
  /** The plain-text part (null when the message has none). */
  text: string | null;
  /** The HTML part (null when none); never rendered, only converted to text. */
  html: string | null;
  /** Header lines by lower-case name (first value of each), as strings. */
  headers: Map<string, string>;
  attachments: InboundAttachment[];
}

/** `<sha256-of-raw@inbound.invalid>`: the stable id of a message without a Message-ID (RFC 5322 §3.6.4 makes it optional). */
export function syntheticMessageId(raw: Buffer): string {
  return `<${crypto.createHash("sha256").update(raw).digest("hex")}@inbound.invalid>`;
}

/**
 * A message id in canonical form: trimmed, inside angle brackets, without whitespace; null when
 * nothing id-like is left. Ids are compared case-sensitively (RFC 5322 does not fold them).
 */
export function normalizeMessageId(v: string | null | undefined): string | null {
  if (!v) return null;
  const s = v.trim().replace(/\s+/g, "");
  const inner = s.replace(/^<+/, "").replace(/>+$/, "");
  if (!inner) return null;
  const id = `<${inner}>`;
  return id.length <= MESSAGE_ID_MAX ? id : null;
}

/** All `<…>` ids in a header value (In-Reply-To may hold several, References a list). */
export function messageIdsIn(v: string | string[] | undefined | null): string[] {
  if (!v) return [];
  const text = Array.isArray(v) ? v.join(" ") : v;
  const found = text.match(/<[^<>\s]+>/g);
  if (found) return found.map((x) => normalizeMessageId(x)).filter((x): x is string => x !== null);
  // Some clients omit the brackets.
  return text
    .split(/[\s,]+/)
    .filter((x) => x.includes("@"))
    .map((x) => normalizeMessageId(x))
    .filter((x): x is string => x !== null);
}

const EMAIL_RE = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

/** A plausible e-mail address, lower case, ≤ 254 characters; null otherwise. */
export function cleanAddress(a: string | null | undefined): string | null {
  if (!a) return null;
  const s = a.trim().toLowerCase();
  return s.length <= 254 && EMAIL_RE.test(s) ? s : null;
}

function addresses(field: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  const out: { address: string; name: string }[] = [];
  const walk = (vs: { address?: string; name?: string; group?: { address?: string; name?: string }[] }[]) => {
    for (const v of vs) {
      if (v.group) walk(v.group);
      const a = cleanAddress(v.address);
      if (a) out.push({ address: a, name: v.name ?? "" });
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

function headerText(v: HeaderValue): string {
  if (typeof v === "string") return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : "")).join(", ");
  if (v && typeof v === "object") {
    if ("value" in v && typeof (v as { value: unknown }).value === "string") return (v as { value: string }).value;
    if ("text" in v && typeof (v as { text: unknown }).text === "string") return (v as { text: string }).text;
  }
  return String(v ?? "");
}

/** PostgreSQL text cannot hold U+0000; mail bodies sometimes do. */
export function withoutNul(s: string): string {
  return s.replace(/\u0000/g, "");
}

function toAttachment(a: Attachment, i: number): InboundAttachment {
  const filename = withoutNul((a.filename ?? "").trim()) || `attachment-${i + 1}`;
  return {
    filename,
    contentType: (a.contentType ?? "application/octet-stream").split(";")[0].trim().toLowerCase(),
    content: a.content,
    size: a.content.length,
    related: a.related === true,
  };
}

/**
 * Parse raw RFC 822 / RFC 5322 bytes with mailparser's `simpleParser` (MIME, transfer and
 * charset decoding: ISO-8859-1, windows-1252, … become UTF-8 text). mailparser does not turn
 * HTML into text here: the caller does, with html-to-text (lib/mail/inbound/strip.ts).
 * Never throws for malformed headers (mailparser is lenient); anything it cannot make sense of
 * is left out (e.g. `from: null`).
 * @throws when mailparser itself fails on the bytes (rare: broken MIME structure).
 */
export async function parseMessage(raw: Buffer): Promise<ParsedInbound> {
  const m = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const headers = new Map<string, string>();
  for (const [k, v] of m.headers) if (!headers.has(k)) headers.set(k.toLowerCase(), headerText(v));
  const own = normalizeMessageId(m.messageId);
  const from = addresses(m.from)[0] ?? null;
  const parentIds: string[] = [];
  for (const id of [...messageIdsIn(m.inReplyTo), ...messageIdsIn(m.references).reverse()]) {
    if (!parentIds.includes(id) && id !== own) parentIds.push(id);
  }
  return {
    messageId: own ?? syntheticMessageId(raw),
    messageIdSynthetic: own === null,
    from: from?.address ?? null,
    fromName: from?.name ? withoutNul(from.name).slice(0, 120) : null,
    subject: withoutNul(m.subject ?? "").trim(),
    to: addresses(m.to).map((a) => a.address),
    cc: addresses(m.cc).map((a) => a.address),
    parentIds: parentIds.slice(0, 100),
    text: typeof m.text === "string" ? withoutNul(m.text) : null,
    html: typeof m.html === "string" ? withoutNul(m.html) : null,
    headers,
    attachments: m.attachments.map(toAttachment),
  };
}

/**
 * The header block of a raw message (up to the first empty line), at most `maxBytes`: what is
 * kept of a message over INBOUND_MAX_BYTES.
 */
export function headerBlock(raw: Buffer, maxBytes = 64 * 1024): Buffer {
  const head = raw.subarray(0, Math.min(raw.length, maxBytes + 4));
  let end = head.indexOf("\r\n\r\n");
  if (end >= 0) end += 2;
  else {
    end = head.indexOf("\n\n");
    if (end >= 0) end += 1;
  }
  return Buffer.from(head.subarray(0, end >= 0 ? Math.min(end, maxBytes) : Math.min(head.length, maxBytes)));
}
