import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as XLSX from "xlsx";
import { afterAll, describe, expect, it } from "vitest";

/*
 * `npm run serials -- FILE` spawned as a user runs it (tsx with the react-server condition):
 * the last stdout line is the JSON summary; exit 0 when checked, 2 for unreadable files.
 */
const root = path.resolve(__dirname, "../..");
const fixtures = path.join(root, "tests/fixtures/serials");
const tsx = path.join(root, "node_modules/.bin/tsx");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "serials-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ["--import", "./scripts/lib/server-only-register.mjs", "scripts/serials.mts", ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function lastJson(stdout: string) {
  const lines = stdout.trimEnd().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

const zero = { invalid_gtin: 0, invalid_serial: 0, invalid_lot: 0, invalid_expiry: 0, duplicate_serial: 0, illegal_transition: 0, expired_shipped: 0 };

describe("npm run serials", () => {
  it("checks a clean CSV: exit 0, no findings", async () => {
    const r = await run(path.join(fixtures, "clean.csv"));
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toEqual({ rows: 5, valid: 5, findings: zero });
    expect(r.stdout).toContain("No findings.");
  });

  it("reports every finding code in a CSV, with a table and the JSON last line", async () => {
    const r = await run(path.join(fixtures, "findings.csv"), "--today", "2026-01-15");
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toEqual({
      rows: 13,
      valid: 5,
      findings: { invalid_gtin: 1, invalid_serial: 1, invalid_lot: 1, invalid_expiry: 1, duplicate_serial: 1, illegal_transition: 2, expired_shipped: 1 },
    });
    expect(r.stdout).toMatch(/findings\s+2\s+GTIN\s+invalid_gtin\s+GTIN 09506000134353 has check digit 3; expected 2\s+09506000134353/);
  });

  it("checks an .xlsx (numeric GTIN cells without leading zeros, Excel date cells)", async () => {
    const aoa: unknown[][] = [["Item GTIN", "SN", "Batch", "Expiration date", "bizStep", "Timestamp"]];
    for (let i = 0; i < 50; i++) {
      aoa.push([9506000134352, `X${i}`, "B1", new Date(Date.UTC(2027, 2, 31)), "urn:epcglobal:cbv:bizstep:commissioning", "2026-01-05T08:00:00Z"]);
    }
    aoa.push([9506000134352, "X7", "B1", new Date(Date.UTC(2027, 2, 31)), "commissioning", "2026-01-06T08:00:00Z"]); // duplicate
    aoa.push([9506000134353, "Y1", "B1", new Date(Date.UTC(2027, 2, 31)), "commissioning", "2026-01-06T08:00:00Z"]); // check digit
    aoa.push(["", "", "", "", "", ""]);
    aoa.push([9506000134352, "X1", "B1", "", "shipping", "2026-01-07T08:00:00Z"]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa, { cellDates: true }), "Serials");
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["Read me"], ["Instructions only"]]), "Notes");
    const file = path.join(tmp, "serials.xlsx");
    fs.writeFileSync(file, XLSX.write(wb, { type: "buffer", bookType: "xlsx" }));
    const r = await run(file);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toEqual({ rows: 53, valid: 51, findings: { ...zero, duplicate_serial: 1, invalid_gtin: 1 } });
    expect(r.stdout).toContain("Skipped:");
  });

  it("caps the printed findings", async () => {
    const lines = ["GTIN,Serial"];
    for (let i = 0; i < 30; i++) lines.push(`09506000134353,S${i}`);
    const file = path.join(tmp, "many.csv");
    fs.writeFileSync(file, lines.join("\n"));
    const r = await run(file, "--max", "10");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("… 20 more");
    expect(lastJson(r.stdout)).toMatchObject({ rows: 30, valid: 0, findings: { invalid_gtin: 30 } });
  });

  it("exits 2 with a message for a missing file, a non-spreadsheet and missing columns", async () => {
    const missing = await run(path.join(tmp, "nope.csv"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");

    const png = path.join(tmp, "image.xlsx");
    fs.writeFileSync(png, Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"));
    const bad = await run(png);
    expect(bad.code).toBe(2);
    expect(bad.stderr.length).toBeGreaterThan(10);

    const cols = await run(path.join(fixtures, "no-columns.csv"));
    expect(cols.code).toBe(2);
    expect(cols.stderr).toMatch(/no gtin and no serial column.*"Name", "Quantity"/s);

    const usage = await run();
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage");
  });
});
