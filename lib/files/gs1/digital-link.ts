/**
 * GS1 Digital Link URIs and EPC pure-identity URIs for serialised trade items.
 *
 * Digital Link (GS1 Digital Link standard: URI syntax, release 1.x): any scheme/host
 * (`https://id.example.com`), an optional path prefix, then the primary key `/01/{gtin}`,
 * then key qualifiers as path pairs `/22/{cpv}`, `/10/{lot}`, `/21/{serial}`, then data
 * attributes as query parameters `?17=270331&10=LOT1`. Values are percent-decoded. The
 * short names of release 1.0 (`gtin`, `cpv`, `lot`, `ser`, `exp`) are accepted for those AIs.
 * Non-numeric query keys that are not AIs (e.g. `linkType`, tracking parameters) are ignored
 * as the standard allows; numeric keys must be known AIs.
 *
 * EPC URI (GS1 EPC Tag Data Standard, SGTIN pure identity):
 * `urn:epc:id:sgtin:{company prefix}.{indicator + item reference}.{serial}`; the GTIN is the
 * indicator digit, company prefix and item reference followed by the check digit (§7.9.1).
 */
import { getAi, checkAiValue, type AiSpec } from "./ai";
import { gs1CheckDigit, isAllDigits } from "./check-digit";
import { toGs1Data, type AiElement, type Gs1ParseResult } from "./element-string";

/** Release-1.0 short names for AIs in Digital Link paths and queries. */
const SHORT_NAMES: Record<string, string> = { gtin: "01", cpv: "22", lot: "10", ser: "21", exp: "17" };
/** Key qualifiers of GTIN allowed in the path after `/01/{gtin}`, in their order. */
const PATH_QUALIFIERS = ["22", "10", "21"];

function decode(part: string): string | null {
  if (part.indexOf("%") < 0) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function aiOf(key: string): string {
  return SHORT_NAMES[key] ?? key;
}

/** True when `text` looks like a URI that could be a Digital Link (http or https scheme). */
export function looksLikeDigitalLink(text: string): boolean {
  const t = text.trimStart().slice(0, 8).toLowerCase();
  return t.startsWith("https://") || t.startsWith("http://");
}

/**
 * Parses a GS1 Digital Link URI for a trade item (primary key AI 01). Returns the AIs found
 * (path and query), each with its format problem if any; errors when there is no `/01/`
 * (or `/gtin/`) segment, a path qualifier is not 22/10/21, a numeric query key is not a known
 * AI, an AI appears twice with different values, or percent-encoding is broken. Never throws.
 */
export function parseDigitalLink(uri: string, today?: Date): Gs1ParseResult {
  const kind = "digital_link";
  const s = uri.trim();
  if (!looksLikeDigitalLink(s)) return { ok: false, kind, message: `"${s}" is not an http(s) URI` };
  const hashAt = s.indexOf("#");
  const noFragment = hashAt >= 0 ? s.slice(0, hashAt) : s;
  const queryAt = noFragment.indexOf("?");
  const beforeQuery = queryAt >= 0 ? noFragment.slice(0, queryAt) : noFragment;
  const query = queryAt >= 0 ? noFragment.slice(queryAt + 1) : "";
  const hostStart = beforeQuery.indexOf("//") + 2;
  const pathAt = beforeQuery.indexOf("/", hostStart);
  const segments = pathAt >= 0 ? beforeQuery.slice(pathAt + 1).split("/") : [];

  let k = -1;
  for (let i = 0; i + 1 < segments.length; i++) {
    if (segments[i] === "01" || segments[i] === "gtin") {
      k = i;
      break;
    }
  }
  if (k < 0) return { ok: false, kind, message: `Digital Link "${s}" has no /01/{GTIN} path segment` };

  const elements: AiElement[] = [];
  const add = (spec: AiSpec, raw: string): string | null => {
    const value = decode(raw);
    if (value === null) return `Broken percent-encoding in "${raw}"`;
    if (value.length === 0) return `AI (${spec.ai}) has no value`;
    elements.push({ ai: spec.ai, title: spec.title, value, error: checkAiValue(spec, value, today) });
    return null;
  };

  const gtinSpec = getAi("01") as AiSpec;
  const gtinRaw = decode(segments[k + 1]);
  if (gtinRaw === null) return { ok: false, kind, message: `Broken percent-encoding in "${segments[k + 1]}"` };
  // A Digital Link may carry a GTIN-8/12/13; AI (01) itself is 14 digits, so pad for the format check.
  const gtinError = isAllDigits(gtinRaw) && (gtinRaw.length === 8 || gtinRaw.length >= 12) && gtinRaw.length <= 14
    ? checkAiValue(gtinSpec, gtinRaw.padStart(14, "0"), today)
    : `GTIN "${gtinRaw}" in a Digital Link must be 8, 12, 13 or 14 digits`;
  elements.push({ ai: "01", title: gtinSpec.title, value: gtinRaw, error: gtinError });

  let lastQualifier = -1;
  for (let i = k + 2; i < segments.length; i += 2) {
    const key = aiOf(segments[i]);
    if (key === "" && i === segments.length - 1) break; // trailing slash
    const order = PATH_QUALIFIERS.indexOf(key);
    if (order < 0) return { ok: false, kind, message: `Path segment "${segments[i]}" after the GTIN is not a key qualifier (22, 10 or 21)` };
    if (order <= lastQualifier) return { ok: false, kind, message: `Key qualifier /${key}/ is out of order; the order is /22/, /10/, /21/` };
    lastQualifier = order;
    if (i + 1 >= segments.length) return { ok: false, kind, message: `AI (${key}) has no value` };
    const err = add(getAi(key) as AiSpec, segments[i + 1]);
    if (err) return { ok: false, kind, message: err };
  }

  if (query.length > 0) {
    for (const pair of query.split("&")) {
      if (pair.length === 0) continue;
      const eq = pair.indexOf("=");
      const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
      const key = aiOf(rawKey);
      const spec = isAllDigits(key) ? getAi(key) : undefined;
      if (!spec) {
        if (isAllDigits(key)) return { ok: false, kind, message: `Unknown AI (${key}) in the query of "${s}"` };
        continue; // non-GS1 query parameter
      }
      const err = add(spec, eq >= 0 ? pair.slice(eq + 1) : "");
      if (err) return { ok: false, kind, message: err };
    }
  }
  return toGs1Data(elements, kind);
}

/**
 * Parses an SGTIN EPC pure-identity URI `urn:epc:id:sgtin:CP.IR.SERIAL` (GS1 EPC Tag Data
 * Standard): company prefix + indicator/item reference must be 13 digits together; the serial
 * is percent-decoded. The GTIN-14 is rebuilt with its check digit. Never throws.
 */
export function parseSgtinUri(uri: string, today?: Date): Gs1ParseResult {
  const kind = "epc_uri";
  const s = uri.trim();
  const prefix = "urn:epc:id:sgtin:";
  if (s.slice(0, prefix.length).toLowerCase() !== prefix) return { ok: false, kind, message: `"${s}" is not an SGTIN EPC URI` };
  const parts = s.slice(prefix.length).split(".");
  if (parts.length !== 3) return { ok: false, kind, message: `SGTIN URI "${s}" must have company prefix, item reference and serial separated by "."` };
  const [cp, ir, rawSerial] = parts;
  if (!isAllDigits(cp) || !isAllDigits(ir) || cp.length + ir.length !== 13 || ir.length < 1) {
    return { ok: false, kind, message: `SGTIN URI "${s}": company prefix and item reference must be 13 digits together` };
  }
  const body = ir[0] + cp + ir.slice(1);
  const gtin = body + String(gs1CheckDigit(body));
  const serial = decode(rawSerial);
  if (serial === null || serial.length === 0) return { ok: false, kind, message: `SGTIN URI "${s}" has no readable serial` };
  const g = getAi("01") as AiSpec;
  const sr = getAi("21") as AiSpec;
  return toGs1Data(
    [
      { ai: "01", title: g.title, value: gtin, error: null },
      { ai: "21", title: sr.title, value: serial, error: checkAiValue(sr, serial, today) },
    ],
    kind,
  );
}
