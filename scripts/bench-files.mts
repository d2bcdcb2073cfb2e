/**
 * `npm run bench:files`: sheet pipeline benchmark (not a test). Prints a table; the LAST line is
 * one JSON object {"rows","bytes","bareParseMs","endToEndMs","ratio","peakRssMb","rssAtStartMb",
 * "findings"}.
 *
 * 1. Generates (in a child process) a serial sheet of BENCH_FILE_ROWS rows (default 100,000): GTIN, serial, lot,
 *    expiry, with ~1 % bad check digits, bad expiries and duplicates, as .xlsx.
 * 2. End to end, in this process, through the real route handlers and services: POST
 *    /api/uploads (API key) → PUT to the presigned URL of the local S3-compatible server over
 *    HTTP → POST complete → the durable job (pg-boss workers on the same database) downloads,
 *    parses, checks and stores the findings → polled GET /api/uploads/{id} until `done`.
 *    Database: in-memory PGlite, or BENCH_DATABASE_URL (a fresh database is created on that
 *    server and dropped after).
 * 3. In the same run, a bare SheetJS `read` + `sheet_to_json` of the same bytes (median of 3).
 * ratio = end to end / bare parse (target ≤ 1.5). peakRssMb = this process's peak RSS up to the
 * end of the upload (the file is generated in a child process); rssAtStartMb = RSS when the
 * upload starts (app, database and S3 server loaded), so the difference is about what the upload
 * took. (Sampling RSS during the run misses the peak: the parse holds the event loop.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as XLSX from "xlsx";

const ROWS = Number(process.env.BENCH_FILE_ROWS ?? 100_000);
const log = (...a: unknown[]) => console.error("[bench:files]", ...a);

function bareParse(bytes: Uint8Array): number {
  const t0 = performance.now();
  const wb = XLSX.read(bytes, { type: "array" });
  const out = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1 });
  if (out.length !== ROWS + 1) throw new Error(`bare parse read ${out.length} rows`);
  return performance.now() - t0;
}

/**
 * The serial sheet (tests/fixtures/sheets/build.ts serialSheetXlsx), built in a child process so
 * the memory building it takes (GBs at a million rows) is not in this process's RSS.
 */
function generateInChild(rows: number, runTag: string): Uint8Array {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-files-"));
  const file = path.join(dir, "sheet.xlsx");
  try {
    const code = `import { writeFileSync } from "node:fs"; import { serialSheetXlsx } from "./tests/fixtures/sheets/build"; writeFileSync(${JSON.stringify(file)}, serialSheetXlsx(${rows}, ${JSON.stringify(runTag)}));`;
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", code], { stdio: "inherit" });
    return new Uint8Array(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.env.DATA_DIR = "memory://";
  process.env.S3_LOCAL_PORT = "0";
  process.env.LOG_LEVEL ??= "warn";
  delete process.env.S3_ENDPOINT;
  // The tests' scratch-database helper: a throw-away database on BENCH_DATABASE_URL's server, else in-memory PGlite.
  const { useScratchDatabase } = await import("../tests/helpers/db");
  if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const dropDb = await useScratchDatabase();
  const { getDb, closeDb } = await import("@/db/client");
  const { seedReferenceData } = await import("@/db/seed");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { users } = await import("@/db/schema");
  const { startWorkers, stopWorkers } = await import("@/lib/jobs/worker");
  const { JOB_HANDLERS } = await import("@/lib/jobs/handlers");
  const { stopLocalS3 } = await import("@/lib/files/storage/local-server");
  const { call } = await import("../tests/helpers/http");
  const uploadsRoute = await import("@/app/api/uploads/route");
  const uploadRoute = await import("@/app/api/uploads/[id]/route");
  const completeRoute = await import("@/app/api/uploads/[id]/complete/route");

  const db = await getDb();
  await seedReferenceData(db);
  const [u] = await db.insert(users).values({ email: "bench@corp.test", name: "bench", role: "agent" }).returning({ id: users.id });
  const { key } = await createApiKey(db, { name: "bench", role: "agent", userId: u.id });
  await startWorkers(JOB_HANDLERS);

  log(`generating ${ROWS.toLocaleString()} rows`);
  const bytes = generateInChild(ROWS, `B${Date.now().toString(36)}-`);
  log(`xlsx ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB`);

  const rssAtStartMb = process.memoryUsage.rss() / 1024 / 1024;
  const t0 = performance.now();
  const created = await call(uploadsRoute.POST, {
    path: "/api/uploads",
    key,
    body: { filename: "bench.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", size: bytes.byteLength, kind: "serials" },
  });
  if (created.status !== 201) throw new Error(`presign: ${created.status} ${JSON.stringify(created.body)}`);
  const put = await fetch(created.body.url, { method: "PUT", headers: created.body.headers, body: Buffer.from(bytes) });
  if (put.status !== 200) throw new Error(`PUT ${put.status}`);
  const id = created.body.id as string;
  const done = await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key, params: { id } });
  if (done.status !== 202) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body)}`);
  let last: { status: string; findingsCount: number; summary: unknown; error?: unknown } = { status: "processing", findingsCount: 0, summary: null };
  while (last.status !== "done" && last.status !== "failed") {
    await new Promise((r) => setTimeout(r, 50));
    last = (await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key, params: { id } })).body;
  }
  const endToEndMs = performance.now() - t0;
  if (last.status !== "done") throw new Error(`processing failed: ${JSON.stringify(last.error)}`);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const bare = [bareParse(bytes), bareParse(bytes), bareParse(bytes)].sort((a, b) => a - b)[1];
  await stopWorkers();
  await closeDb();
  await stopLocalS3();
  await dropDb();

  const result = {
    rows: ROWS,
    bytes: bytes.byteLength,
    bareParseMs: Math.round(bare),
    endToEndMs: Math.round(endToEndMs),
    ratio: Math.round((endToEndMs / bare) * 100) / 100,
    peakRssMb: Math.round(peakRssMb),
    rssAtStartMb: Math.round(rssAtStartMb),
    findings: last.findingsCount,
  };
  console.log(`| rows | xlsx MB | bare SheetJS read + sheet_to_json (ms) | end to end (ms) | ratio | peak RSS (MB) | RSS when the upload starts (MB) | findings |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  console.log(
    `| ${ROWS} | ${(bytes.byteLength / 1024 / 1024).toFixed(1)} | ${result.bareParseMs} | ${result.endToEndMs} | ${result.ratio} | ${result.peakRssMb} | ${result.rssAtStartMb} | ${result.findings} |`,
  );
  console.log(`summary: ${JSON.stringify(last.summary)}`);
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
