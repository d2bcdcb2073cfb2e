/**
 * Hostile spreadsheets, end to end (issue 15 §3 "Hostile input"): each file goes the way a user's
 * does — POST /api/uploads (presign), PUT to the S3 server, POST /api/uploads/{id}/complete, the
 * process-upload job run by the real worker, GET /api/uploads/{id} — and must end in a refusal
 * (a 4xx with {error:{code,message,details}}) or a `failed` upload with a specific message, never
 * a 5xx or a stack trace, with no rows left behind in upload_findings, serial_items or
 * serial_events. Covered: a zip bomb, a million rows, a huge cell, formulas (kept as text, never
 * evaluated, neutralised in the CSV report; in an xlsx, Excel's cached values are read), a truncated xlsx, a CSV in Latin-1. Afterwards a good
 * small sheet is processed: the worker lives on. Runs on PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as XLSX from "xlsx";
import { rows } from "@/db/client";
import { resetEnvForTests } from "@/lib/env";
import * as uploadsRoute from "@/app/api/uploads/route";
import * as uploadRoute from "@/app/api/uploads/[id]/route";
import * as completeRoute from "@/app/api/uploads/[id]/complete/route";
import * as findingsRoute from "@/app/api/uploads/[id]/findings/route";
import * as reportRoute from "@/app/api/uploads/[id]/report/route";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { call, type CallResult } from "../../helpers/http";
import { useTestDb } from "../../helpers/db";
import { useTestStorage } from "../../helpers/storage";
import { makeDeskActors, type Actor } from "../../helpers/fixtures";
import { deflatedZeros, rezip, workbookBytes } from "../../fixtures/sheets/build";

const t = useTestDb();
useTestStorage();
let agent: Actor;

const MB = 1024 * 1024;
const GB = 1024 * MB;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  ({ agent } = await makeDeskActors(t.db));
  await startWorkers(JOB_HANDLERS);
  return async () => {
    await stopWorkers();
  };
});

/** No route may answer 5xx, and every error answer has the one error shape with a real message. */
function noServerError(r: CallResult<any>, what: string): void {
  expect(r.status, `${what}: ${JSON.stringify(r.body).slice(0, 300)}`).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expectClearMessage(r.body.error.message);
  }
}

/** A message a user can act on: not empty, not generic, no stack trace. */
function expectClearMessage(message: unknown): void {
  expect(typeof message).toBe("string");
  const m = message as string;
  expect(m.length).toBeGreaterThan(15);
  expect(m).not.toMatch(/internal (server )?error/i);
  expect(m).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|TypeError|RangeError/);
}

type Upload = { id: string; created: CallResult<any>; completed: CallResult<any> | null };

/** The user's path: presign, PUT the bytes to S3, complete. `completed` is null when the presign is refused. */
async function upload(file: { name: string; type: string; bytes: Uint8Array }): Promise<Upload> {
  const created = await call(uploadsRoute.POST, {
    path: "/api/uploads",
    key: agent.key,
    body: { filename: file.name, contentType: file.type, size: file.bytes.byteLength, kind: "serials" },
  });
  noServerError(created, `presign ${file.name}`);
  if (created.status !== 201) return { id: "", created, completed: null };
  const put = await fetch(created.body.url, { method: "PUT", headers: created.body.headers, body: Buffer.from(file.bytes) });
  expect(put.status).toBe(200);
  const id = created.body.id as string;
  const completed = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: agent.key, params: { id } });
  noServerError(completed, `complete ${file.name}`);
  return { id, created, completed };
}

async function waitDone(id: string, timeoutMs = 60_000): Promise<any> {
  const t0 = Date.now();
  for (;;) {
    const r = await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: agent.key, params: { id } });
    noServerError(r, `GET upload ${id}`);
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    if (Date.now() - t0 > timeoutMs) throw new Error(`upload ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Rows the processing of `id` wrote: a failed upload must have none. */
async function written(id: string): Promise<{ findings: number; items: number; events: number }> {
  const [r] = await rows<{ findings: number; items: number; events: number }>(
    t.db,
    sql`SELECT (SELECT count(*) FROM upload_findings WHERE upload_id = ${id})::int AS findings,
               (SELECT count(*) FROM serial_items WHERE upload_id = ${id})::int AS items,
               (SELECT count(*) FROM serial_events WHERE upload_id = ${id})::int AS events`,
  );
  return r;
}

/** Upload a file the job must refuse: 202 at completion, then `failed` with `code` and a message matching `message`. */
async function expectJobFailure(file: { name: string; type: string; bytes: Uint8Array }, code: string, message: RegExp): Promise<{ code: string; message: string }> {
  const u = await upload(file);
  expect(u.completed?.status, JSON.stringify(u.completed?.body)).toBe(202);
  const done = await waitDone(u.id);
  expect(done.status).toBe("failed");
  expect(done.error).toMatchObject({ code, message: expect.stringMatching(message) });
  expectClearMessage(done.error.message);
  if (process.env.HOSTILE_REPORT) console.log(`[hostile] ${file.name}: failed ${done.error.code}: ${done.error.message}`);
  expect(await written(u.id)).toEqual({ findings: 0, items: 0, events: 0 });
  // The findings of a failed upload are empty, not an error.
  const f = await call(findingsRoute.GET, { path: `/api/uploads/${u.id}/findings`, key: agent.key, params: { id: u.id } });
  noServerError(f, "findings of a failed upload");
  return done.error;
}

describe("hostile spreadsheets through the upload API and the processing job", () => {
  it("a zip bomb (an xlsx whose sheet inflates to 1 GB) fails as zip_bomb with the limit named", async () => {
    const base = workbookBytes({ Serials: [["GTIN", "Serial"], ["09506000134352", "ZB-1"]] });
    const part = "xl/worksheets/sheet1.xml";
    const bytes = rezip(base, { [part]: { name: part, data: deflatedZeros(1 * GB), method: 8, statedSize: 1 * GB } });
    expect(bytes.length).toBeLessThan(2 * MB);
    await expectJobFailure({ name: "bomb.xlsx", type: XLSX_TYPE, bytes }, "zip_bomb", /^The workbook expands to 1 GB when unzipped; the limit is 400 MB\.$/);
  }, 180_000);

  it("a million rows (a 1,000,001-row CSV, ~22 MB, under the 50 MB upload limit) fails as too_many_rows", async () => {
    const lines = ["GTIN,Serial"];
    for (let i = 0; i <= 1_000_000; i++) lines.push(`09506000134352,M${i}`);
    const bytes = enc(lines.join("\n") + "\n");
    expect(bytes.length).toBeGreaterThan(15 * MB);
    await expectJobFailure({ name: "million.csv", type: "text/csv", bytes }, "too_many_rows", /1,000,00\d.* rows; the limit is 1,000,000/);
  }, 180_000);

  it("SHEET_MAX_ROWS lowers the row limit: 4 data rows fail as too_many_rows naming 3, 3 rows are processed", async () => {
    const was = process.env.SHEET_MAX_ROWS;
    process.env.SHEET_MAX_ROWS = "3";
    resetEnvForTests();
    try {
      const sheet = (n: number) => workbookBytes({ Serials: [["GTIN", "Serial"], ...Array.from({ length: n }, (_, i) => ["09506000134352", `LIM-${n}-${i}`])] });
      await expectJobFailure({ name: "four.xlsx", type: XLSX_TYPE, bytes: sheet(4) }, "too_many_rows", /4 data rows; the limit is 3\./);
      const ok = await upload({ name: "three.xlsx", type: XLSX_TYPE, bytes: sheet(3) });
      const done = await waitDone(ok.id);
      expect(done.status, JSON.stringify(done.error)).toBe("done");
      expect((await written(ok.id)).items).toBe(3);
    } finally {
      if (was === undefined) delete process.env.SHEET_MAX_ROWS;
      else process.env.SHEET_MAX_ROWS = was;
      resetEnvForTests();
    }
  }, 60_000);

  it("a file over the 50 MB upload limit is refused at the presign with 413, nothing stored", async () => {
    const [before] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM uploads`);
    const r = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "huge.csv", contentType: "text/csv", size: 60 * MB, kind: "serials" } });
    expect([r.status, r.body.error?.code]).toEqual([413, "payload_too_large"]);
    expectClearMessage(r.body.error.message);
    const [after] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM uploads`);
    expect(after.n).toBe(before.n);
  });

  it("a huge cell (40,000 characters, over Excel's 32,767) fails as cell_too_long naming the cell", async () => {
    const csv = `GTIN,Serial,Note\n09506000134352,HC-1,ok\n09506000134352,HC-2,${"x".repeat(40_000)}\n`;
    await expectJobFailure({ name: "huge-cell.csv", type: "text/csv", bytes: enc(csv) }, "cell_too_long", /^Cell C3 on sheet ".*" holds 40,000 characters; the limit is 32,767/);
  });

  it("a truncated xlsx (upload cut off) is refused as a broken file", async () => {
    const whole = workbookBytes({ Serials: [["GTIN", "Serial"], ["09506000134352", "TR-1"]] });
    const bytes = whole.subarray(0, Math.floor(whole.length / 2));
    await expectJobFailure({ name: "cut.xlsx", type: XLSX_TYPE, bytes }, "broken_file", /damaged or incomplete/);
  });

  it("formulas are stored as text, never evaluated, and the CSV report neutralises them", async () => {
    const formulas = ['=HYPERLINK("http://evil.test","x")', "=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0"];
    const csv = ["GTIN,Serial,Lot", ...formulas.map((f, i) => `09506000134352,"${f.replaceAll('"', '""')}",L${i}`)].join("\n") + "\n";
    const u = await upload({ name: "formulas.csv", type: "text/csv", bytes: enc(csv) });
    expect(u.completed!.status).toBe(202);
    const done = await waitDone(u.id);
    expect(done.status, JSON.stringify(done.error)).toBe("done");
    expect(done.summary.rows).toBe(formulas.length);
    // Each formula is kept verbatim, as a stored serial or as the value of a finding.
    const stored = await rows<{ v: string }>(
      t.db,
      sql`SELECT serial AS v FROM serial_items WHERE upload_id = ${u.id} UNION ALL SELECT value AS v FROM upload_findings WHERE upload_id = ${u.id} AND "column" = 'Serial'`,
    );
    const values = stored.map((r) => r.v);
    for (const f of formulas) expect(values, f).toContain(f);
    expect(values).not.toContain("2"); // SUM(1+1) was not computed
    // The CSV report prefixes every formula-looking value with a quote.
    const report = await call(reportRoute.GET, { path: `/api/uploads/${u.id}/report?format=csv`, key: agent.key, params: { id: u.id } });
    noServerError(report, "csv report");
    expect(report.status).toBe(200);
    const body = String(report.body);
    if (process.env.HOSTILE_REPORT) console.log(`[hostile] formulas: ${JSON.stringify({ summary: done.summary, report: body })}`);
    const inFindings = stored.length - (await rows(t.db, sql`SELECT 1 FROM serial_items WHERE upload_id = ${u.id}`)).length;
    expect(inFindings).toBeGreaterThan(0);
    expect(body).not.toMatch(/(^|,)"?[=+@]/m);
    for (const f of formulas) expect(body, f).toContain(`,"'${f.replaceAll('"', '""')}"\r\n`);
  });

  it("an xlsx with real formula cells: Excel's cached values are read, no formula is evaluated, one without a cached value is an empty cell", async () => {
    // Cells as Excel saves them: <f> with the formula and <v> with the value it last computed.
    const ws = XLSX.utils.aoa_to_sheet([["GTIN", "Serial", "Lot"]]);
    ws.A2 = { t: "s", v: "09506000134352", f: '"0950600013435"&"2"' };
    ws.B2 = { t: "s", v: "FX-1", f: 'CONCATENATE("FX-",1)' };
    ws.C2 = { t: "s", v: "L1" };
    // A formula whose cached value is itself formula-looking text stays that text.
    ws.A3 = { t: "s", v: "09506000134352" };
    ws.B3 = { t: "s", v: "=cmd|' /C calc'!A0", f: '"=cmd|\' /C calc\'!A0"' };
    ws.C3 = { t: "s", v: "L2" };
    // A formula a generator wrote without computing it (<f> and no <v>): nothing to read; 1+1 is not run.
    ws.A4 = { t: "s", v: "09506000134352" };
    ws.B4 = { t: "n", f: "1+1" } as XLSX.CellObject;
    ws.C4 = { t: "s", v: "L3" };
    ws["!ref"] = "A1:C4";
    const bytes = workbookBytes({ Serials: ws });
    // The file really holds formula elements (SheetJS wrote them).
    expect(Buffer.from(XLSX.read(bytes, { type: "array", cellFormula: true }).Sheets.Serials.B2.f ?? "").toString()).toBe('CONCATENATE("FX-",1)');
    const u = await upload({ name: "formula-cells.xlsx", type: XLSX_TYPE, bytes });
    expect(u.completed!.status).toBe(202);
    const done = await waitDone(u.id);
    expect(done.status, JSON.stringify(done.error)).toBe("done");
    expect(done.summary.rows).toBe(3);
    const items = await rows<{ gtin: string; serial: string }>(t.db, sql`SELECT gtin, serial FROM serial_items WHERE upload_id = ${u.id} ORDER BY serial`);
    expect(items).toContainEqual({ gtin: "09506000134352", serial: "FX-1" });
    const findings = await rows<{ row: number; column: string | null; code: string; value: string | null }>(
      t.db,
      sql`SELECT "row", "column", code, value FROM upload_findings WHERE upload_id = ${u.id}`,
    );
    const values = [...items.map((i) => i.serial), ...findings.map((f) => f.value ?? "")];
    expect(values).not.toContain("2"); // 1+1 was never computed
    expect(values.some((v) => v.includes("CONCATENATE"))).toBe(false); // formulas are not read as text either
    // Row 3's cached text is kept verbatim (as a serial or a finding's value), row 4's empty serial is reported.
    expect(values).toContain("=cmd|' /C calc'!A0");
    expect(findings).toContainEqual(expect.objectContaining({ row: 4, code: "invalid_serial" }));
  });

  it("a CSV in Latin-1 (0xE9 bytes) is decoded as Windows-1252: é arrives as é", async () => {
    const text = "GTIN,Serial,Lot\n09506000134352,LAT-1,Caf\u00e9\n09506000134352,LAT-2,Cr\u00e8me\n";
    const bytes = Uint8Array.from(Buffer.from(text, "latin1"));
    expect(bytes).toContain(0xe9);
    const u = await upload({ name: "latin1.csv", type: "text/csv", bytes });
    expect(u.completed!.status).toBe(202);
    const done = await waitDone(u.id);
    expect(done.status, JSON.stringify(done.error)).toBe("done");
    expect(done.summary.rows).toBe(2);
    const lots = await rows<{ v: string }>(
      t.db,
      sql`SELECT lot AS v FROM serial_items WHERE upload_id = ${u.id} UNION ALL SELECT value AS v FROM upload_findings WHERE upload_id = ${u.id} AND "column" = 'Lot'`,
    );
    expect(lots.map((r) => r.v).sort()).toEqual(["Caf\u00e9", "Cr\u00e8me"]);
    expect(lots.map((r) => r.v).join("")).not.toContain("\ufffd");
  });

  it("after all of them a good small sheet is processed: the worker lives on", async () => {
    const bytes = workbookBytes({ Serials: [["GTIN", "Serial"], ["09506000134352", "GOOD-1"], ["09506000134352", "GOOD-2"]] });
    const u = await upload({ name: "good.xlsx", type: XLSX_TYPE, bytes });
    expect(u.completed!.status).toBe(202);
    const done = await waitDone(u.id);
    expect(done.status, JSON.stringify(done.error)).toBe("done");
    expect(done.summary).toMatchObject({ rows: 2, valid: 2 });
    expect((await written(u.id)).items).toBe(2);
  });
});
