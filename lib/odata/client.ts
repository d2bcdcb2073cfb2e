import type { ODataAuthKind, ODataVersion } from "@/db/schema/sla";
import type { ODataRunError } from "./dto";

/*
 * The OData HTTP client of the pulls: builds the request URL of an entity set (V2 and V4 JSON
 * as SAP Gateway and S/4HANA serve them), follows server-driven paging, and retries what may
 * pass on a second try. No database: lib/odata/pull.ts stores what it returns.
 */

/** What a pull needs to know of a source to request it (the secret already opened). */
export interface ODataRequestSpec {
  version: ODataVersion;
  /** Service root, e.g. https://sap.example.com/sap/opu/odata/sap/ZPM_NOTIF_SRV */
  baseUrl: string;
  entitySet: string;
  filter: string | null;
  select: string | null;
  sapClient: string | null;
  sapLanguage: string | null;
  authKind: ODataAuthKind;
  username: string | null;
  /** The basic password or bearer token, in clear (opened from secret_ciphertext). */
  secret: string | null;
  /** Changed-at property and the cursor (ISO) for a delta filter; both needed. */
  changedAtField: string | null;
  deltaCursor: string | null;
}

/** Retry and limit settings (defaults: ODATA_TIMEOUT_MS, ODATA_MAX_RECORDS, 0.5 s/1 s/2 s). */
export interface FetchOptions {
  /** Timeout of one request in ms. */
  timeoutMs: number;
  /** Most records read over all pages. */
  maxRecords: number;
  /** Delays before each retry in ms; its length is the number of retries of 5xx and timeouts. */
  retryDelaysMs?: readonly number[];
  /** Waits `ms` (injectable so tests do not sleep). */
  sleep?: (ms: number) => Promise<void>;
  /** The fetch to use (default global fetch). */
  fetch?: typeof fetch;
}

/** The result of {@link fetchAllRecords}. */
export interface FetchResult {
  /** The raw entities in the order served (all pages). */
  records: unknown[];
  /** Pages read. */
  pages: number;
  /** True when reading stopped at `maxRecords` (more pages were left). */
  truncated: boolean;
  /** Failed attempts that a retry made good (reported, not fatal). */
  retried: ODataRunError[];
}

/** A request that failed for good (after its retries). `errors` lists every failed attempt. */
export class ODataFetchError extends Error {
  readonly errors: ODataRunError[];
  constructor(message: string, errors: ODataRunError[]) {
    super(message);
    this.name = "ODataFetchError";
    this.errors = errors;
  }
}

export const DEFAULT_RETRY_DELAYS_MS = [500, 1000, 2000] as const;

/** `2026-01-05T10:00:00.000Z` → the delta literal: V2 `datetime'2026-01-05T10:00:00'`, V4 `2026-01-05T10:00:00Z`. */
export function deltaLiteral(version: ODataVersion, iso: string): string {
  const secs = new Date(iso).toISOString().slice(0, 19);
  return version === "v2" ? `datetime'${secs}'` : `${secs}Z`;
}

/**
 * The `$filter` of a pull: the source's filter, and (with a changed-at property and a cursor)
 * `<changedAt> ge <cursor>`, combined with `and`. `ge`, not `gt`: a record changed in the same
 * second as the cursor after the previous pull is read again rather than missed (re-reading is
 * harmless: its hash is unchanged, so it is skipped).
 */
export function buildFilter(spec: Pick<ODataRequestSpec, "version" | "filter" | "changedAtField" | "deltaCursor">): string | null {
  const delta = spec.changedAtField && spec.deltaCursor ? `${spec.changedAtField} ge ${deltaLiteral(spec.version, spec.deltaCursor)}` : null;
  const own = spec.filter?.trim() || null;
  if (own && delta) return `(${own}) and ${delta}`;
  return own ?? delta;
}

/** OData query values: percent-encoded, but `$`, `'`, `,`, `(`, `)`, `:` and `/` kept readable. */
function enc(v: string): string {
  return encodeURIComponent(v).replace(/%24/g, "$").replace(/%27/g, "'").replace(/%2C/gi, ",").replace(/%28/g, "(").replace(/%29/g, ")").replace(/%3A/gi, ":").replace(/%2F/gi, "/");
}

/** The service root with one trailing slash (relative next links resolve against it). */
export function serviceRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "") + "/";
}

/** Parameters every request carries (also added to next links that lack them). */
function fixedParams(spec: ODataRequestSpec): [string, string][] {
  const p: [string, string][] = [];
  if (spec.version === "v2") p.push(["$format", "json"]);
  if (spec.sapClient) p.push(["sap-client", spec.sapClient]);
  if (spec.sapLanguage) p.push(["sap-language", spec.sapLanguage]);
  return p;
}

/** The first page's URL: `<root><EntitySet>?$filter=…&$select=…&$format=json&sap-client=…&sap-language=…`. */
export function buildFirstUrl(spec: ODataRequestSpec): string {
  const params: [string, string][] = [];
  const filter = buildFilter(spec);
  if (filter) params.push(["$filter", filter]);
  if (spec.select?.trim()) params.push(["$select", spec.select.replace(/\s+/g, "")]);
  params.push(...fixedParams(spec));
  const qs = params.map(([k, v]) => `${k}=${enc(v)}`).join("&");
  return `${serviceRoot(spec.baseUrl)}${spec.entitySet}${qs ? `?${qs}` : ""}`;
}

/** A next link resolved against the service root, with $format/sap-client/sap-language added when missing. */
export function resolveNextLink(spec: ODataRequestSpec, next: string): string {
  const u = new URL(next, serviceRoot(spec.baseUrl));
  for (const [k, v] of fixedParams(spec)) if (!u.searchParams.has(k)) u.search += `${u.search ? "&" : "?"}${k}=${enc(v)}`;
  return u.toString();
}

/** Request headers: Accept JSON (V4 without metadata annotations), and the auth header. */
export function requestHeaders(spec: ODataRequestSpec): Record<string, string> {
  const h: Record<string, string> = {
    accept: spec.version === "v4" ? "application/json;odata.metadata=minimal" : "application/json",
  };
  if (spec.version === "v4") h["odata-maxversion"] = "4.0";
  if (spec.authKind === "basic") h.authorization = `Basic ${Buffer.from(`${spec.username ?? ""}:${spec.secret ?? ""}`, "utf8").toString("base64")}`;
  if (spec.authKind === "bearer") h.authorization = `Bearer ${spec.secret ?? ""}`;
  return h;
}

/**
 * The message of an OData error body as served: V2 `{error: {message: {value}}}`, V4
 * `{error: {message}}`; else the body's first 300 characters (or null when empty).
 */
export function odataErrorMessage(body: string): string | null {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown; code?: unknown } };
    const m = j?.error?.message;
    if (typeof m === "string") return m;
    if (m && typeof m === "object" && typeof (m as { value?: unknown }).value === "string") return (m as { value: string }).value;
  } catch {
    /* not JSON */
  }
  const t = body.trim();
  return t ? t.slice(0, 300) : null;
}

/** One page's entities and next link: V2 `d.results` (or `d` an array) and `d.__next`; V4 `value` and `@odata.nextLink`. */
export function parsePage(version: ODataVersion, json: unknown): { records: unknown[]; next: string | null } {
  const j = (json ?? {}) as Record<string, unknown>;
  if (version === "v2") {
    const d = j.d as Record<string, unknown> | unknown[] | undefined;
    if (Array.isArray(d)) return { records: d, next: null };
    if (d && Array.isArray(d.results)) return { records: d.results, next: typeof d.__next === "string" ? d.__next : null };
    throw new Error("not an OData V2 collection (no d.results)");
  }
  if (Array.isArray(j.value)) return { records: j.value, next: typeof j["@odata.nextLink"] === "string" ? j["@odata.nextLink"] : null };
  throw new Error("not an OData V4 collection (no value)");
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether a failed attempt may pass on a retry: 5xx, a timeout or a network error; 401 once. */
function retryable(status: number | undefined, attempt401: number): boolean {
  if (status === undefined) return true;
  if (status === 401) return attempt401 <= 1;
  return status >= 500;
}

/**
 * GET one page with retries: 5xx, timeouts and network errors up to `retryDelaysMs.length`
 * retries after the given delays; a 401 once (SAP answers 401 to a stale session; a second
 * 401 means the credentials are wrong). Each failed attempt is reported.
 * @returns the parsed JSON and the failed attempts before it.
 * @throws ODataFetchError when the last attempt fails, or on a 4xx other than a first 401.
 */
async function getPage(url: string, spec: ODataRequestSpec, opts: FetchOptions): Promise<{ json: unknown; failed: ODataRunError[] }> {
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = opts.sleep ?? sleepReal;
  const doFetch = opts.fetch ?? fetch;
  const failed: ODataRunError[] = [];
  let seen401 = 0;
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let message: string;
    try {
      const res = await doFetch(url, { headers: requestHeaders(spec), signal: AbortSignal.timeout(opts.timeoutMs), redirect: "error" });
      const body = await res.text();
      if (res.ok) {
        try {
          return { json: JSON.parse(body), failed };
        } catch {
          throw new ODataFetchError("The answer is not JSON", [...failed, { message: `HTTP ${res.status}: the answer is not JSON: ${body.slice(0, 200)}`, attempt, status: res.status, url }]);
        }
      }
      status = res.status;
      message = odataErrorMessage(body) ?? `HTTP ${res.status} ${res.statusText}`.trim();
    } catch (err) {
      if (err instanceof ODataFetchError) throw err;
      const e = err as Error;
      message = e.name === "TimeoutError" ? `timed out after ${opts.timeoutMs} ms` : `request failed: ${e.message}${(e.cause as Error | undefined)?.message ? ` (${(e.cause as Error).message})` : ""}`;
    }
    failed.push({ message, attempt, ...(status !== undefined ? { status } : {}), url });
    if (status === 401) seen401++;
    const canRetry = attempt <= delays.length && retryable(status, seen401);
    if (!canRetry) throw new ODataFetchError(message, failed);
    await sleep(delays[attempt - 1]);
  }
}

/**
 * Read every page of the source's entity set (first URL from {@link buildFirstUrl}, then each
 * `__next` / `@odata.nextLink`, relative ones resolved against the service root), up to
 * `maxRecords` records. Redirects are not followed, and a next link to another origin than the
 * service's is refused (the auth header goes with every request).
 * @throws ODataFetchError when a page fails after its retries or is not an OData collection
 *   (`errors` lists every failed attempt, OData error messages as served).
 */
export async function fetchAllRecords(spec: ODataRequestSpec, opts: FetchOptions): Promise<FetchResult> {
  const out: FetchResult = { records: [], pages: 0, truncated: false, retried: [] };
  const visited = new Set<string>();
  let url: string | null = buildFirstUrl(spec);
  while (url) {
    if (visited.has(url)) throw new ODataFetchError("The server's next link repeats a page", [...out.retried, { message: `next link loops back to ${url}`, url }]);
    visited.add(url);
    const { json, failed } = await getPage(url, spec, opts);
    out.retried.push(...failed);
    let page: { records: unknown[]; next: string | null };
    try {
      page = parsePage(spec.version, json);
    } catch (err) {
      throw new ODataFetchError((err as Error).message, [...out.retried, { message: (err as Error).message, url }]);
    }
    out.pages++;
    const room = opts.maxRecords - out.records.length;
    out.records.push(...page.records.slice(0, room));
    if (page.records.length > room || (page.records.length === room && page.next)) {
      out.truncated = true;
      break;
    }
    url = page.next ? resolveNextLink(spec, page.next) : null;
    // The auth header goes with every page: never to another origin than the service's.
    if (url && new URL(url).origin !== new URL(spec.baseUrl).origin) {
      throw new ODataFetchError("The server's next link points to another host", [...out.retried, { message: `next link to another origin refused: ${url}` }]);
    }
  }
  return out;
}
