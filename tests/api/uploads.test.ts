import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as XLSX from "xlsx";
import { zipSync } from "fflate";
import { rows } from "@/db/client";
import * as uploadsRoute from "@/app/api/uploads/route";
import * as uploadRoute from "@/app/api/uploads/[id]/route";
import * as completeRoute from "@/app/api/uploads/[id]/complete/route";
import * as findingsRoute from "@/app/api/uploads/[id]/findings/route";
import * as reportRoute from "@/app/api/uploads/[id]/report/route";
import * as downloadRoute from "@/app/api/uploads/[id]/download/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { headObject, putObject } from "@/lib/files/storage/s3";
import { call } from "../helpers/http";
import { useTestDb } from "../helpers/db";
import { useTestStorage } from "../helpers/storage";
import { makeDeskActors, type Actor } from "../helpers/fixtures";

const t = useTestDb();
useTestStorage();
let agent: Actor;
let alice: Actor;
let bob: Actor;

beforeAll(async () => {
  ({ agent, alice, bob } = await makeDeskActors(t.db));
  await startWorkers(JOB_HANDLERS);
  return async () => {
    await stopWorkers();
  };
});

async function counts() {
  const [r] = await rows<{ uploads: number; audit: number }>(
    t.db,
    sql`SELECT (SELECT count(*) FROM uploads)::int AS uploads, (SELECT count(*) FROM audit_events)::int AS audit`,
  );
  return r;
}

/** POST /api/uploads, PUT the bytes as a browser would (with `putType` overriding the signed type), POST complete. */
async function upload(actor: Actor, file: { name: string; type: string; bytes: Uint8Array; kind?: string; putType?: string; putBytes?: Uint8Array; ticketKey?: string }) {
  const created = await call(uploadsRoute.POST, {
    path: "/api/uploads",
    key: actor.key,
    body: { filename: file.name, contentType: file.type, size: file.bytes.byteLength, kind: file.kind ?? "serials", ...(file.ticketKey ? { ticketKey: file.ticketKey } : {}) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const put = await fetch(created.body.url, {
    method: "PUT",
    headers: { ...created.body.headers, ...(file.putType ? { "Content-Type": file.putType } : {}) },
    body: Buffer.from(file.putBytes ?? file.bytes),
  });
  expect(put.status).toBe(200);
  const completed = await call(completeRoute.POST, { path: `/api/uploads/${created.body.id}/complete`, key: actor.key, params: { id: created.body.id } });
  return { id: created.body.id as string, completed };
}

async function waitDone(actor: Actor, id: string, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const r = await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: actor.key, params: { id } });
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    if (Date.now() - t0 > timeoutMs) throw new Error(`upload ${id} still ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const enc = (s: string) => new TextEncoder().encode(s);
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"));

describe("POST /api/uploads: the presigned PUT", () => {
  it("answers 201 with a PUT URL bound to the content type and exact size, under the caller's prefix", async () => {
    const r = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "März serials.csv", contentType: "text/csv", size: 1234, kind: "serials" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ method: "PUT", headers: { "Content-Type": "text/csv" } });
    const url = new URL(r.body.url);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(Number(url.searchParams.get("X-Amz-Expires"))).toBe(900);
    expect(decodeURIComponent(url.pathname)).toContain(`/u/${agent.id}/${r.body.id}/Marz_serials.csv`);
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
  });

  it("refuses bad requests with the one error shape and writes nothing", async () => {
    const before = await counts();
    const cases: [Actor, Record<string, unknown>, number, string][] = [
      [agent, { filename: "big.csv", contentType: "text/csv", size: 50 * 1024 * 1024 + 1, kind: "serials" }, 413, "payload_too_large"],
      [agent, { filename: "x.exe", contentType: "application/x-msdownload", size: 10, kind: "attachment" }, 415, "unsupported_media_type"],
      [agent, { filename: "x.png", contentType: "image/png", size: 10, kind: "serials" }, 415, "unsupported_media_type"],
      [alice, { filename: "s.csv", contentType: "text/csv", size: 10, kind: "serials" }, 403, "forbidden"],
      [agent, { filename: "e.csv", contentType: "text/csv", size: 10, kind: "employees" }, 403, "forbidden"],
      [agent, { filename: "../etc/passwd", contentType: "text/plain", size: 10, kind: "attachment" }, 400, "validation_error"],
      [agent, { filename: "a.txt", contentType: "text/plain", size: 0, kind: "attachment" }, 400, "validation_error"],
      [agent, { filename: "a.txt", contentType: "text/plain", size: 1.5, kind: "attachment" }, 400, "validation_error"],
      [agent, { filename: "a.txt", contentType: "text/plain", size: 10, kind: "attachment", ticketKey: "T-999999" }, 404, "not_found"],
      [agent, { filename: "c.csv", contentType: "text/csv", size: 10, kind: "compliance" }, 422, "unprocessable"],
      [agent, { filename: "a.txt", contentType: "text/plain", size: 10, kind: "attachment", extra: 1 }, 400, "validation_error"],
    ];
    for (const [actor, body, status, code] of cases) {
      const r = await call(uploadsRoute.POST, { path: "/api/uploads", key: actor.key, body });
      expect([r.status, r.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
      expect(r.body.error.message).toBeTruthy();
    }
    expect(await counts()).toEqual(before);
  });
});

describe("POST /api/uploads/{id}/complete: the stored object is checked before anything reads it", () => {
  it("attaches a checked file (200), refuses a second completion (409), and serves it through a presigned GET", async () => {
    const { id, completed } = await upload(alice, { name: "screen.png", type: "image/png", bytes: PNG, kind: "attachment" });
    expect(completed.status).toBe(200);
    expect(completed.body.upload).toMatchObject({ id, status: "done", progress: 1, kind: "attachment" });
    const again = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: alice.key, params: { id } });
    expect([again.status, again.body.error.code]).toEqual([409, "invalid_transition"]);
    const dl = await call(downloadRoute.GET, { path: `/api/uploads/${id}/download?inline=1`, key: alice.key, params: { id } });
    expect(dl.status).toBe(302);
    const res = await fetch(dl.headers.get("location")!);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    expect(res.headers.get("content-disposition")).toMatch(/^inline;/);
    // Another requester cannot see it (404, not 403: ids cannot be probed).
    const other = await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: bob.key, params: { id } });
    expect(other.status).toBe(404);
    expect((await call(downloadRoute.GET, { path: `/api/uploads/${id}/download`, key: bob.key, params: { id } })).status).toBe(404);
  });

  it("the presigned PUT is bound to its type and length: the store refuses a PUT that differs", async () => {
    const created = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "s.csv", contentType: "text/csv", size: 12, kind: "serials" } });
    const url = created.body.url as string;
    expect((await fetch(url, { method: "PUT", headers: { "Content-Type": "text/html" }, body: "gtin,serial\n" })).status).toBe(403);
    expect((await fetch(url, { method: "PUT", headers: created.body.headers, body: "gtin,serial\n0950600013435,A\n" })).status).toBe(403);
    expect((await fetch(url, { method: "PUT", headers: created.body.headers, body: "gtin,serial\n" })).status).toBe(200);
  });

  it("refuses a stored object whose type differs from the signed one, marks the upload failed and deletes the object", async () => {
    // A store that does not enforce signed headers (or a client with other credentials) could hold
    // anything under the key: the check after upload is the guard that counts.
    const created = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "s.csv", contentType: "text/csv", size: 12, kind: "serials" } });
    const id = created.body.id as string;
    const [row] = await rows<{ storage_key: string }>(t.db, sql`SELECT storage_key FROM uploads WHERE id = ${id}`);
    await putObject(row.storage_key, enc("gtin,serial\n"), "text/html");
    const completed = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: agent.key, params: { id } });
    expect([completed.status, completed.body.error.code, completed.body.error.details.reason]).toEqual([415, "unsupported_media_type", "type_mismatch"]);
    const r = await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: agent.key, params: { id } });
    expect(r.body).toMatchObject({ status: "failed", error: { code: "type_mismatch" } });
    expect(await headObject(row.storage_key)).toBeNull();
  });

  it("refuses a stored object whose length differs from the signed one", async () => {
    const created = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "s.csv", contentType: "text/csv", size: 12, kind: "serials" } });
    const id = created.body.id as string;
    const [row] = await rows<{ storage_key: string }>(t.db, sql`SELECT storage_key FROM uploads WHERE id = ${id}`);
    await putObject(row.storage_key, enc("gtin,serial\n0950600013435,A\n"), "text/csv");
    const completed = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: agent.key, params: { id } });
    expect([completed.status, completed.body.error.details.reason]).toEqual([422, "size_mismatch"]);
  });

  it("detects the type by content: PNG bytes announced as a CSV sheet, or HTML as a PNG attachment, are refused", async () => {
    const a = await upload(agent, { name: "serials.csv", type: "text/csv", bytes: PNG });
    expect([a.completed.status, a.completed.body.error.details.reason]).toEqual([415, "content_not_allowed"]);
    const b = await upload(alice, { name: "cat.png", type: "image/png", bytes: enc("<html><script>alert(1)</script></html>"), kind: "attachment" });
    expect(b.completed.status).toBe(415);
  });

  it("answers 422 when nothing was uploaded yet, and the upload stays pending so the PUT can be retried", async () => {
    const created = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "later.csv", contentType: "text/csv", size: 12, kind: "serials" } });
    const id = created.body.id;
    const r = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: agent.key, params: { id } });
    expect([r.status, r.body.error.code]).toEqual([422, "unprocessable"]);
    expect((await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: agent.key, params: { id } })).body.status).toBe("pending");
    await fetch(created.body.url, { method: "PUT", headers: created.body.headers, body: enc("gtin,serial\n") });
    expect((await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: agent.key, params: { id } })).status).toBe(202);
  });
});

const SHEET = [
  "GTIN,Serial No.,Batch,Exp. date",
  "09506000134352,SN0001,L1,271231",
  "09506000134353,SN0002,L1,271231", // invalid_gtin (check digit)
  "09506000134352,SN 0003,L1,271231", // invalid_serial (space)
  "09506000134352,SN0004,L1,261301", // invalid_expiry
  "09506000134352,SN0001,L1,271231", // duplicate_serial
  '09506000134352,"=HYPERLINK(""http://evil"")",L1,271231', // invalid_serial, formula in the report
].join("\n");

describe("sheet processing: a durable job checks the sheet and reports progress", () => {
  let first: string;

  it("202, then processing → done with the serial summary and paged findings", async () => {
    const { id, completed } = await upload(agent, { name: "serials.csv", type: "text/csv", bytes: enc(SHEET) });
    first = id;
    expect(completed.status).toBe(202);
    expect(completed.body.upload.status).toBe("processing");
    const done = await waitDone(agent, id);
    expect(done.status).toBe("done");
    expect(done.summary).toEqual({
      rows: 6,
      valid: 1,
      findings: { invalid_gtin: 1, invalid_serial: 2, invalid_lot: 0, invalid_expiry: 1, duplicate_serial: 1, illegal_transition: 0, expired_shipped: 0 },
    });
    expect(done.findingsCount).toBe(5);
    const p1 = await call(findingsRoute.GET, { path: `/api/uploads/${id}/findings?limit=2`, key: agent.key, params: { id } });
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.total).toBe(5);
    expect(p1.body.items[0]).toMatchObject({ row: 3, code: "invalid_gtin", column: "GTIN", value: "09506000134353", sheet: expect.any(String) });
    const p2 = await call(findingsRoute.GET, { path: `/api/uploads/${id}/findings?limit=2&cursor=${p1.body.nextCursor}`, key: agent.key, params: { id } });
    expect(p2.body.items[0].seq).toBeGreaterThan(p1.body.items[1].seq);
    const serial = await call(findingsRoute.GET, { path: `/api/uploads/${id}/findings?code=invalid_serial`, key: agent.key, params: { id } });
    expect(serial.body.items.map((f: { row: number }) => f.row)).toEqual([4, 7]);
    expect((await call(findingsRoute.GET, { path: `/api/uploads/${id}/findings?code=DROP`, key: agent.key, params: { id } })).status).toBe(400);
  });

  it("reports in CSV and XLSX neutralise formulas (CSV injection)", async () => {
    const csv = await call(reportRoute.GET, { path: `/api/uploads/${first}/report?format=csv`, key: agent.key, params: { id: first } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("serials.findings.csv");
    expect(String(csv.body)).toContain(`'=HYPERLINK`);
    expect(String(csv.body)).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const xlsx = await call(reportRoute.GET, { path: `/api/uploads/${first}/report?format=xlsx`, key: agent.key, params: { id: first } });
    expect(xlsx.status).toBe(200);
  });

  it("finds duplicates against earlier uploads", async () => {
    const { id } = await upload(agent, { name: "more.csv", type: "text/csv", bytes: enc("GTIN,Serial\n09506000134352,SN0001\n09506000134352,SN0100\n") });
    const done = await waitDone(agent, id);
    expect(done.summary.findings.duplicate_serial).toBe(1);
    expect(done.summary.valid).toBe(1);
  });

  it("continues each unit's history across uploads, and a ticket mentioning a serial shows it", async () => {
    const a = await upload(agent, {
      name: "commission.csv",
      type: "text/csv",
      bytes: enc(["GTIN,Serial,Lot,Expiry,Event,Event time,Location", "04006381333931,H-1,LA,250131,commissioned,2024-11-02T08:00:00Z,Plant A", "04006381333931,H-2,LA,271231,commissioned,2026-01-02T08:00:00Z,Plant A", "04006381333931,H-2,LA,271231,shipped,2026-01-05T08:00:00Z,DC North"].join("\n")),
    });
    expect((await waitDone(agent, a.id)).summary.valid).toBe(3);
    const b = await upload(agent, {
      name: "later.csv",
      type: "text/csv",
      bytes: enc(["GTIN,Serial,Event,Event time,Location", "04006381333931,H-1,shipped,2026-02-01T08:00:00Z,DC North", "04006381333931,H-2,dispensed,2026-02-03T10:00:00Z,Pharmacy 7"].join("\n")),
    });
    const done = await waitDone(agent, b.id);
    // H-1 expired on 2025-01-31 (known from the first upload) and is shipped a year later; H-2 was shipped before, so dispensing is legal.
    expect(done.summary.findings).toMatchObject({ expired_shipped: 1, illegal_transition: 0, duplicate_serial: 0 });
    const { serialHistoryForText } = await import("@/lib/files/serials/history");
    const history = await serialHistoryForText(t.db, "Pack (01)04006381333931(21)H-2 was returned by the pharmacy");
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ gtin: "04006381333931", serial: "H-2", lot: "LA", expiry: "2027-12-31", firstUploadId: a.id });
    expect(history[0].events.map((e) => e.event)).toEqual(["commissioned", "shipped", "dispensed"]);
    expect(await serialHistoryForText(t.db, "No serials here, just T-12 and 2026-01-01")).toEqual([]);
  });

  it("a hostile file (zip bomb) fails with a clear message and the worker goes on", async () => {
    const bomb = zipSync({ "[Content_Types].xml": enc('<?xml version="1.0"?><Types/>'), "xl/workbook.xml": enc("<workbook/>"), "xl/worksheets/sheet1.xml": new Uint8Array(300 * 1024 * 1024) }, { level: 9 });
    const { id, completed } = await upload(agent, { name: "bomb.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes: bomb });
    expect(completed.status).toBe(202);
    const failed = await waitDone(agent, id);
    expect(failed.status).toBe("failed");
    expect(failed.error.code).toBe("zip_bomb");
    expect(failed.error.message).toMatch(/limit/i);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["GTIN", "Serial"], ["09506000134352", "OK-1"]]), "Sheet1");
    const ok = await upload(agent, { name: "ok.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes: new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" })) });
    const okDone = await waitDone(agent, ok.id);
    expect(okDone.status, JSON.stringify(okDone.error)).toBe("done");
  }, 120_000);
});

describe("DELETE /api/uploads/{id}", () => {
  it("the uploader deletes an attachment not on a ticket (row and object go); attached files and other people's stay", async () => {
    const a = await upload(alice, { name: "oops.png", type: "image/png", bytes: PNG, kind: "attachment" });
    const [row] = await rows<{ storage_key: string }>(t.db, sql`SELECT storage_key FROM uploads WHERE id = ${a.id}`);
    expect((await call(uploadRoute.DELETE, { method: "DELETE", path: `/api/uploads/${a.id}`, key: bob.key, params: { id: a.id } })).status).toBe(404);
    expect((await call(uploadRoute.DELETE, { method: "DELETE", path: `/api/uploads/${a.id}`, key: alice.key, params: { id: a.id } })).status).toBe(204);
    expect(await headObject(row.storage_key)).toBeNull();
    expect((await call(uploadRoute.GET, { path: `/api/uploads/${a.id}`, key: alice.key, params: { id: a.id } })).status).toBe(404);
    const b = await upload(alice, { name: "keep.log", type: "text/plain", bytes: enc("log line\n"), kind: "attachment" });
    const created = await call(ticketsRoute.POST, { path: "/api/tickets", key: alice.key, body: { title: "Printer jam", description: "The printer jams on every page", email: alice.email, attachmentIds: [b.id] } });
    expect(created.status).toBe(201);
    const del = await call(uploadRoute.DELETE, { method: "DELETE", path: `/api/uploads/${b.id}`, key: alice.key, params: { id: b.id } });
    expect([del.status, del.body.error.code]).toEqual([409, "invalid_transition"]);
  });
});

describe("attachments on tickets", () => {
  it("a requester files a ticket with an attachment; the agent sees it on the ticket", async () => {
    const a = await upload(alice, { name: "vpn.log", type: "text/plain", bytes: enc("2026-12-01 VPN error 809\n"), kind: "attachment" });
    const created = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: alice.key,
      body: { title: "VPN fails", description: "VPN error 809 since this morning", email: alice.email, attachmentIds: [a.id] },
    });
    expect(created.status).toBe(201);
    const key = created.body.ticket.key;
    const seen = await call(uploadRoute.GET, { path: `/api/uploads/${a.id}`, key: agent.key, params: { id: a.id } });
    expect(seen.body).toMatchObject({ ticketKey: key, status: "done" });
    // An attachment cannot be moved to another ticket, nor be attached by someone else.
    const again = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: bob.key,
      body: { title: "Mine", description: "Trying to take alice's file", email: bob.email, attachmentIds: [a.id] },
    });
    expect([again.status, again.body.error.code]).toEqual([422, "unprocessable"]);
    const ticket = await call(ticketRoute.GET, { path: `/api/tickets/${key}`, key: bob.key, params: { key } });
    expect(ticket.status).toBe(404);
    const [{ n }] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM tickets WHERE title = 'Mine'`);
    expect(n).toBe(0); // the ticket and its links commit together or not at all
  });
});
