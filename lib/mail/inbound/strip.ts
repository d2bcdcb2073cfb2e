import { compile } from "html-to-text";

/*
 * Reply stripping: an e-mail reply carries the whole conversation below the new text. A comment
 * (and a new ticket's description) keeps only what the sender wrote; the full message stays in
 * inbound_messages.raw. Pure functions, no I/O.
 */

/** "On Tue, 3 Mar 2026 at 10:02, Ann <ann@x.io> wrote:" and its translations (one line, or two when a client wrapped it). */
const ATTRIBUTION = [
  /^on\b.{1,400}\bwrote:?\s*$/i, // English (Gmail, Apple Mail, Thunderbird)
  /^am\b.{1,400}\bschrieb\b.{0,200}:\s*$/i, // German
  /^le\b.{1,400}\ba écrit\s*:\s*$/i, // French
  /^el\b.{1,400}\bescribió\s*:\s*$/i, // Spanish
  /^op\b.{1,400}\bschreef\b.{0,200}:\s*$/i, // Dutch
  /^il giorno\b.{1,400}\bha scritto\s*:\s*$/i, // Italian
  /^.{1,200}\b(wrote|schrieb|a écrit|escribió|schreef|ha scritto)\s*:\s*$/i, // "Ann <ann@x.io> wrote:" (Thunderbird short form)
];

/** Separator lines that start a quoted original: Outlook, Lotus, Yahoo, German Outlook. */
const SEPARATORS = [
  /^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|oorspronkelijk bericht)\s*-{2,}\s*$/i,
  /^-{2,}\s*reply above this line\s*-{2,}$/i,
  /^#{2,}\s*(please )?(type|reply) (your reply )?above this line\s*#{2,}$/i,
];

/** An Outlook header block: "From: …" followed within a few lines by "Sent:"/"Date:" (or the German "Von:"/"Gesendet:"). */
const HEADER_FROM = /^\s*\*?(from|von|de|van|da)\s*:\*?\s+\S/i;
const HEADER_SENT = /^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|verzonden|inviato)\s*:\*?\s+\S/i;
const HEADER_OTHER = /^\s*\*?(to|cc|subject|an|betreff|à|objet|para|asunto|aan|onderwerp|a|oggetto)\s*:\*?\s/i;

/** Lines that end what the sender wrote: the RFC 3676 signature separator and mobile footers. */
const SIGNATURE = [
  /^--\s?$/, // RFC 3676 §4.3: "-- " (some clients drop the trailing space)
  /^(sent|envoyé|enviado) (from|with|depuis|desde) (my )?.{1,60}$/i, // "Sent from my iPhone", "Sent from Mail for Windows"
  /^get outlook for (ios|android)\s*$/i,
  /^(von meinem|gesendet von meinem|gesendet mit) .{1,60}$/i, // "Von meinem iPhone gesendet"
];

const isQuoted = (line: string) => /^\s*>/.test(line);

/** Index of the first line that starts the quoted history, or -1. */
function quoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (SEPARATORS.some((r) => r.test(line))) return i;
    if (ATTRIBUTION.some((r) => r.test(line))) return i;
    // Gmail wraps long attributions over two lines.
    const next = lines[i + 1]?.trim() ?? "";
    if (/^(on|am|le|el|op)\b/i.test(line) && next && ATTRIBUTION.some((r) => r.test(`${line} ${next}`))) return i;
    if (/^_{10,}\s*$/.test(line) && HEADER_FROM.test(lines[i + 1] ?? "")) return i;
    if (HEADER_FROM.test(line)) {
      const window = lines.slice(i + 1, i + 6);
      if (window.some((l) => HEADER_SENT.test(l)) && window.some((l) => HEADER_OTHER.test(l))) return i;
    }
    if (isQuoted(line) && lines.slice(i).every((l) => isQuoted(l) || !l.trim())) return i;
  }
  return -1;
}

function cutSignature(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (SIGNATURE.some((r) => r.test(line))) {
      // A mobile footer or "-- " ends the new text (all that follows is signature or quote).
      return lines.slice(0, i);
    }
  }
  return lines;
}

/** A horizontal rule (a quote's `<hr>` rendered as text, Outlook's `____` line). */
const RULE = /^\s*[-_=~*]{5,}\s*$/;

function tidy(lines: string[]): string {
  const kept = [...lines];
  // A rule left at the end separated the new text from the quote that was cut below it.
  while (kept.length && (!kept[kept.length - 1].trim() || RULE.test(kept[kept.length - 1]))) kept.pop();
  return kept
    .map((l) => l.replace(/[ \t\u00a0]+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The new text of an e-mail reply: everything above the quoted history and the signature.
 *
 * Cut at the first of: an attribution line ("On … wrote:", "Am … schrieb …:", "Le … a écrit :",
 * also wrapped over two lines), an "-----Original Message-----" separator, an Outlook header
 * block ("From: … Sent: … To:/Subject: …", with or without a "____" rule above it), or a final
 * block of `>` lines. Then cut at the signature: the RFC 3676 separator "-- " or a mobile footer
 * ("Sent from my iPhone", "Get Outlook for iOS", "Von meinem iPhone gesendet").
 * An interleaved reply (answers between `>` lines, nothing above the attribution) keeps its
 * unquoted lines. Line endings become `\n`; blank runs shrink to one empty line.
 *
 * @param text the text part (or HTML converted by {@link htmlToText}).
 * @returns the new text, trimmed; may be empty (a reply that is all quote).
 */
export function stripReply(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const start = quoteStart(lines);
  let mine = start >= 0 ? lines.slice(0, start) : lines;
  if (start >= 0 && !tidy(cutSignature(mine))) {
    // Interleaved (inline) reply: the answers sit between the quoted lines below the attribution.
    mine = lines.slice(start + 1).filter((l) => !isQuoted(l) && !HEADER_FROM.test(l) && !HEADER_SENT.test(l) && !HEADER_OTHER.test(l));
  }
  mine = cutSignature(mine.filter((l) => !isQuoted(l)));
  return tidy(mine);
}

/**
 * HTML mail body as plain text (html-to-text): links as `text [url]` (the URL once when it is the
 * text), images and scripts dropped, blockquotes as `>` lines (so {@link stripReply} removes
 * them), no hard wrapping, non-breaking spaces as spaces. HTML is never stored or rendered.
 */
export function htmlToText(html: string): string {
  // &nbsp; becomes U+00A0; in a ticket's plain text it is a space.
  return mailHtmlToText(html).replace(/\u00a0/g, " ");
}

/** The converter of {@link htmlToText}, compiled once (html-to-text's `convert` compiles its options on every call). */
const mailHtmlToText = compile({
  wordwrap: false,
  selectors: [
    { selector: "img", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "script", format: "skip" },
    { selector: "head", format: "skip" },
    { selector: "a", options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
});

/** Forward prefixes: Fwd/FW (English), WG (German), TR (French), ENC (Portuguese), Doorst/VB (Dutch). */
const FORWARD_PREFIX = /^(re:\s*)*(fwd?|wg|tr|enc|doorst|vb)\s*:/i;
/** Markers clients put above a forwarded message (Gmail, Apple Mail, Thunderbird). */
const FORWARD_MARKER = /^\s*(-{3,}\s*(forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{3,}|begin forwarded message:)/im;

/**
 * Whether a mail forwards another one (subject `Fwd:`/`FW:`/`WG:`…, or a "Forwarded message"
 * marker in the text): for a new ticket the forwarded message IS the request, so it is not
 * stripped as quoted history.
 */
export function isForward(subject: string, text: string): boolean {
  return FORWARD_PREFIX.test(subject.trim()) || FORWARD_MARKER.test(text);
}

/** "Re: Fwd: AW: [T-12] Printer" → "[T-12] Printer": reply/forward prefixes (any language, repeated) removed. */
export function cleanSubject(subject: string): string {
  let s = subject.replace(/\s+/g, " ").trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|sv|vs|antw|r|rif|tr|réf|ref|odp|enc|res)(\[\d+\])?\s*:\s*/i, "").trim();
    if (next === s) return s;
    s = next;
  }
}
