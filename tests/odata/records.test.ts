import { describe, expect, it } from "vitest";
import type { ODataMapping } from "@/db/schema/sla";
import { buildFilter, buildFirstUrl, deltaLiteral, fetchAllRecords, odataErrorMessage, parsePage, resolveNextLink, type ODataRequestSpec } from "@/lib/odata/client";
import { cleanRecords, contentHash, highestChangedAt, parseODataDate } from "@/lib/odata/records";
import { MAPPING } from "./helpers";

const mapping = MAPPING as unknown as ODataMapping;

describe("parseODataDate", () => {
  it("reads V2 /Date(ms)/ with and without offset, and ISO with or without zone (none = UTC)", () => {
    expect(parseODataDate("/Date(1700000000000)/")).toBe("2023-11-14T22:13:20.000Z");
    // The offset names the original zone; the milliseconds are UTC already.
    expect(parseODataDate("/Date(1700000000000+0100)/")).toBe("2023-11-14T22:13:20.000Z");
    expect(parseODataDate("/Date(-86400000)/")).toBe("1969-12-31T00:00:00.000Z");
    expect(parseODataDate("2026-03-01T09:12:00+01:00")).toBe("2026-03-01T08:12:00.000Z");
    expect(parseODataDate("2026-03-01T09:12:00")).toBe("2026-03-01T09:12:00.000Z");
    expect(parseODataDate("2026-03-01")).toBe("2026-03-01T00:00:00.000Z");
    expect(parseODataDate("yesterday")).toBeNull();
    expect(parseODataDate("2026-13-45T99:00:00Z")).toBeNull();
    expect(parseODataDate(1700000000000)).toBeNull();
  });
});

describe("cleanRecords", () => {
  it("trims text, maps priority (map, default), drops closed and invalid records, dedupes by external id (last wins)", () => {
    const r = cleanRecords(mapping, [
      { NotificationId: " 1 ", ShortText: "  Pump\n  failure  ", LongText: "  long text  ", Priority: "1", Status: "OPEN", ChangedAt: "/Date(1700000000000)/" },
      { NotificationId: "2", ShortText: "Closed one", Priority: "2", Status: "CLOSED" },
      { NotificationId: "3", ShortText: "Unknown priority value", Priority: "VERY_HIGH", Status: "OPEN" },
      { NotificationId: "", ShortText: "No id" },
      { NotificationId: "4", ShortText: "  " },
      "not an object",
      { NotificationId: "1", ShortText: "Pump failure again", Priority: 2, Status: "OPEN", ChangedAt: "/Date(1700000600000)/" },
    ]);
    expect(r.closed).toBe(1);
    expect(r.duplicates).toBe(1);
    expect(r.invalid).toEqual([
      { message: "no value in the external id property NotificationId" },
      { externalId: "4", message: "the title property ShortText has under 3 characters" },
      { message: "not an entity (JSON object)" },
    ]);
    expect(r.records.map((x) => [x.externalId, x.title, x.description, x.priority, x.changedAt])).toEqual([
      ["1", "Pump failure again", "", "P2", "2023-11-14T22:23:20.000Z"],
      ["3", "Unknown priority value", "", "P3", null],
    ]);
    expect(highestChangedAt(r.records, "2023-01-01T00:00:00.000Z")).toBe("2023-11-14T22:23:20.000Z");
    expect(highestChangedAt(r.records, "2024-01-01T00:00:00.000Z")).toBe("2024-01-01T00:00:00.000Z");
  });

  it("hashes the mapped fields: equal content, equal hash; any field changed, another", () => {
    const base = { title: "Pump failure", description: "x", priority: "P2" as const };
    expect(contentHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...base })).toBe(contentHash(base));
    expect(contentHash({ ...base, priority: "P1" })).not.toBe(contentHash(base));
    expect(contentHash({ ...base, description: "y" })).not.toBe(contentHash(base));
    const [a] = cleanRecords(mapping, [{ NotificationId: "1", ShortText: "Pump failure", LongText: "x", Priority: "2", ChangedAt: "/Date(1)/" }]).records;
    const [b] = cleanRecords(mapping, [{ NotificationId: "1", ShortText: " Pump failure ", LongText: "x ", Priority: "2", ChangedAt: "/Date(2)/" }]).records;
    expect(a.hash).toBe(b.hash);
  });
});

const spec = (o: Partial<ODataRequestSpec> = {}): ODataRequestSpec => ({
  version: "v2",
  baseUrl: "https://sap.example.com/sap/opu/odata/sap/ZPM_SRV",
  entitySet: "NotificationSet",
  filter: null,
  select: null,
  sapClient: null,
  sapLanguage: null,
  authKind: "none",
  username: null,
  secret: null,
  changedAtField: null,
  deltaCursor: null,
  ...o,
});

describe("request URLs", () => {
  it("combines $filter with the delta filter, V2 datetime'…' and V4 …Z literals", () => {
    expect(deltaLiteral("v2", "2026-03-01T11:00:00.000Z")).toBe("datetime'2026-03-01T11:00:00'");
    expect(deltaLiteral("v4", "2026-03-01T11:00:00.000Z")).toBe("2026-03-01T11:00:00Z");
    expect(buildFilter(spec({ filter: "Status eq 'OPEN'" }))).toBe("Status eq 'OPEN'");
    expect(buildFilter(spec({ changedAtField: "ChangedAt", deltaCursor: null }))).toBeNull();
    expect(buildFilter(spec({ changedAtField: "ChangedAt", deltaCursor: "2026-03-01T11:00:00.000Z" }))).toBe("ChangedAt ge datetime'2026-03-01T11:00:00'");
    expect(buildFilter(spec({ version: "v4", filter: "a eq 1 or b eq 2", changedAtField: "ChangedAt", deltaCursor: "2026-03-01T11:00:00.000Z" }))).toBe(
      "(a eq 1 or b eq 2) and ChangedAt ge 2026-03-01T11:00:00Z",
    );
  });

  it("builds the first URL with $filter, $select, $format (V2 only), sap-client and sap-language, and resolves next links", () => {
    const s = spec({ filter: "Status eq 'OPEN'", select: "A, B", sapClient: "100", sapLanguage: "DE" });
    expect(buildFirstUrl(s)).toBe(
      "https://sap.example.com/sap/opu/odata/sap/ZPM_SRV/NotificationSet?$filter=Status%20eq%20'OPEN'&$select=A,B&$format=json&sap-client=100&sap-language=DE",
    );
    expect(new URL(buildFirstUrl(s)).searchParams.get("$filter")).toBe("Status eq 'OPEN'");
    expect(buildFirstUrl(spec({ version: "v4" }))).toBe("https://sap.example.com/sap/opu/odata/sap/ZPM_SRV/NotificationSet");
    expect(resolveNextLink(s, "NotificationSet?$skiptoken=20")).toBe(
      "https://sap.example.com/sap/opu/odata/sap/ZPM_SRV/NotificationSet?$skiptoken=20&$format=json&sap-client=100&sap-language=DE",
    );
    expect(resolveNextLink(s, "https://sap.example.com/x/NotificationSet?$skiptoken=2&sap-client=100&$format=json&sap-language=DE")).toBe(
      "https://sap.example.com/x/NotificationSet?$skiptoken=2&sap-client=100&$format=json&sap-language=DE",
    );
  });

  it("reads pages and error bodies of both versions", () => {
    expect(parsePage("v2", { d: { results: [1], __next: "n" } })).toEqual({ records: [1], next: "n" });
    expect(parsePage("v2", { d: [1, 2] })).toEqual({ records: [1, 2], next: null });
    expect(parsePage("v4", { value: [], "@odata.nextLink": "x" })).toEqual({ records: [], next: "x" });
    expect(() => parsePage("v4", { d: { results: [] } })).toThrow("not an OData V4 collection");
    expect(odataErrorMessage(JSON.stringify({ error: { code: "X", message: { lang: "en", value: "V2 says no" } } }))).toBe("V2 says no");
    expect(odataErrorMessage(JSON.stringify({ error: { code: "X", message: "V4 says no" } }))).toBe("V4 says no");
    expect(odataErrorMessage("<html>Bad gateway</html>")).toBe("<html>Bad gateway</html>");
  });
});

describe("fetchAllRecords limits", () => {
  it("retries a timeout, reports it, and stops at maxRecords", async () => {
    let calls = 0;
    const fetchFn = (async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" });
      const page = calls - 2;
      return new Response(JSON.stringify({ value: [{ id: page * 2 }, { id: page * 2 + 1 }], "@odata.nextLink": `NotificationSet?$skiptoken=${page + 1}` }), { status: 200 });
    }) as typeof fetch;
    const r = await fetchAllRecords(spec({ version: "v4" }), { timeoutMs: 1234, maxRecords: 5, fetch: fetchFn, sleep: async () => {} });
    expect(r.retried).toEqual([expect.objectContaining({ attempt: 1, message: "timed out after 1234 ms" })]);
    expect(r.records).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
    expect(r.truncated).toBe(true);
    expect(r.pages).toBe(3);
  });

  it("a 4xx other than 401 is not retried; a next link that repeats a page or leaves the service's origin stops the pull", async () => {
    let calls = 0;
    const notFound = (async () => {
      calls++;
      return new Response(JSON.stringify({ error: { message: "Entity set unknown" } }), { status: 404 });
    }) as typeof fetch;
    await expect(fetchAllRecords(spec({ version: "v4" }), { timeoutMs: 1000, maxRecords: 10, fetch: notFound, sleep: async () => {} })).rejects.toMatchObject({
      errors: [expect.objectContaining({ status: 404, message: "Entity set unknown", attempt: 1 })],
    });
    expect(calls).toBe(1);
    const loop = (async () => new Response(JSON.stringify({ value: [{}], "@odata.nextLink": "NotificationSet" }), { status: 200 })) as typeof fetch;
    await expect(fetchAllRecords(spec({ version: "v4" }), { timeoutMs: 1000, maxRecords: 10, fetch: loop })).rejects.toThrow("repeats a page");
    const away = (async () => new Response(JSON.stringify({ value: [{}], "@odata.nextLink": "https://evil.example.net/NotificationSet?$skiptoken=1" }), { status: 200 })) as typeof fetch;
    await expect(fetchAllRecords(spec({ version: "v4", authKind: "bearer", secret: "t" }), { timeoutMs: 1000, maxRecords: 10, fetch: away })).rejects.toThrow("points to another host");
  });
});
