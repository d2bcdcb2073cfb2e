import { startFake, type FakeAnswer, type FakeRequest } from "./push-fake-base";

/*
 * A FAKE OData service on loopback (V2 as SAP Gateway serves it, or V4 as S/4HANA does): one
 * entity set served in pages. V2 answers `{d: {results, __next}}` with a RELATIVE next link
 * (`NotificationSet?$skiptoken=N`, as Gateway writes it); V4 answers `{value,
 * @odata.nextLink}` with an ABSOLUTE one. The data is whatever the test puts in `pages` (V2
 * records carry `/Date(…)/` strings as the test writes them). Scripted answers (`failNext`)
 * are served before the pages: a transient 503, or a 401 with an OData error body. Every
 * request is recorded (to assert the $filter, $select, sap-client, sap-language and auth sent).
 * The fake does not evaluate $filter: tests assert what was asked.
 */

export interface ODataFake {
  /** The service root, e.g. http://127.0.0.1:5555/sap/opu/odata/sap/ZPM_NOTIF_SRV */
  root: string;
  entitySet: string;
  requests: FakeRequest[];
  /** Pages served in order; replace to change the data between pulls. */
  pages: Record<string, unknown>[][];
  /** Answers served instead of the next requests (in order), e.g. a 503 then a 401. */
  failNext: (...answers: { status: number; body?: unknown }[]) => void;
  /** The requests for the entity set (page fetches). */
  pageRequests: () => FakeRequest[];
  close: () => Promise<void>;
}

/** The error bodies SAP serves: V2 `{error: {code, message: {lang, value}}}`, V4 `{error: {code, message}}`. */
export function odataErrorBody(version: "v2" | "v4", message: string, code = "SY/530"): unknown {
  return version === "v2" ? { error: { code, message: { lang: "en", value: message } } } : { error: { code, message } };
}

/** Start the fake with `pages` of records (each page a list of entities). */
export async function startODataFake(version: "v2" | "v4", pages: Record<string, unknown>[][], entitySet = "NotificationSet"): Promise<ODataFake> {
  const path = "/sap/opu/odata/sap/ZPM_NOTIF_SRV";
  const scripted: { status: number; body?: unknown }[] = [];
  const state = { pages, root: "" };
  const route = (req: FakeRequest): FakeAnswer => {
    const s = scripted.shift();
    if (s) return { status: s.status, json: s.body ?? {} };
    if (req.url.pathname !== `${path}/${entitySet}`) return { status: 404, json: odataErrorBody(version, `Resource not found for segment '${req.url.pathname}'`) };
    const token = req.url.searchParams.get("$skiptoken");
    const i = token === null ? 0 : Number(token);
    const records = state.pages[i] ?? [];
    const more = i + 1 < state.pages.length;
    if (version === "v2") {
      return { status: 200, json: { d: { results: records.map((r) => ({ __metadata: { type: "ZPM.Notification" }, ...r })), ...(more ? { __next: `${entitySet}?$skiptoken=${i + 1}` } : {}) } } };
    }
    return {
      status: 200,
      json: { "@odata.context": "$metadata#" + entitySet, value: records, ...(more ? { "@odata.nextLink": `${state.root}/${entitySet}?$skiptoken=${i + 1}` } : {}) },
    };
  };
  const fake = await startFake(route, () => false);
  state.root = `${fake.url}${path}`;
  return {
    root: state.root,
    entitySet,
    requests: fake.requests,
    get pages() {
      return state.pages;
    },
    set pages(p: Record<string, unknown>[][]) {
      state.pages = p;
    },
    failNext: (...a) => scripted.push(...a),
    pageRequests: () => fake.requests.filter((r) => r.url.pathname === `${path}/${entitySet}`),
    close: fake.close,
  };
}
