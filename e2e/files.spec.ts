import { expect, test } from "@playwright/test";
import { zipSync, strToU8 } from "fflate";
import { signIn, expectAccessible } from "./helpers";

/*
 * The agents' file pages (/files, /files/[id]) against the production build: a generated serial
 * sheet is uploaded through the form (real XHR progress, then the processing job's progress),
 * its summary, chart, findings table, filters and reports are checked against counts computed
 * here from how the sheet was generated; files that are not sheets, or are damaged, show the
 * server's message.
 */

const SERIAL_CODES = ["invalid_gtin", "invalid_serial", "invalid_lot", "invalid_expiry", "duplicate_serial", "illegal_transition", "expired_shipped"] as const;
type Code = (typeof SERIAL_CODES)[number];

/** GS1 mod-10 check digit of `body` (GS1 General Specifications §7.9.1): weights 3,1,3,… from the right. */
function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}
const gtin14 = (body13: string) => `${body13}${checkDigit(body13)}`;

interface Row {
  gtin: string;
  serial: string;
  lot: string;
  expiry: string;
  event: string;
  time: string;
  /** The one finding this row must get, or null for a valid row. */
  expect: Code | null;
}

/**
 * A serial sheet of `normal` valid commissioning rows plus one or two rows per finding code, at
 * known places. Serials carry `tag` so reruns on the same database do not collide with the
 * serial registry of earlier uploads.
 */
function serialSheet(tag: string, normal = 300) {
  const good = gtin14("0950600013435");
  const other = gtin14("0950600099991");
  const badGtin = `${good.slice(0, 13)}${(Number(good[13]) + 1) % 10}`; // wrong check digit
  const serial = (i: number) => `${tag}${String(i).padStart(5, "0")}`;
  const commission = { event: "commissioning", time: "2026-01-05T08:00:00Z" };
  const rows: Row[] = [];
  for (let i = 0; i < normal; i++) {
    rows.push({ gtin: i % 3 === 0 ? other : good, serial: serial(i), lot: `L${i % 7}`, expiry: "281231", ...commission, expect: null });
  }
  const specials: [number, Row[]][] = [
    [10, [{ gtin: badGtin, serial: serial(90001), lot: "L1", expiry: "281231", ...commission, expect: "invalid_gtin" }]],
    [40, [{ gtin: good, serial: `${tag} 7`, lot: "L1", expiry: "281231", ...commission, expect: "invalid_serial" }]],
    [75, [{ gtin: good, serial: serial(90002), lot: "LOT 9", expiry: "281231", ...commission, expect: "invalid_lot" }]],
    [120, [{ gtin: good, serial: serial(90003), lot: "L2", expiry: "261301", ...commission, expect: "invalid_expiry" }]],
    // The first normal row's pack commissioned again.
    [150, [{ gtin: other, serial: serial(0), lot: "L0", expiry: "281231", ...commission, expect: "duplicate_serial" }]],
    // Dispensed without ever being shipped: the dispensing row is an illegal transition.
    [
      200,
      [
        { gtin: good, serial: serial(90004), lot: "L3", expiry: "281231", ...commission, expect: null },
        { gtin: good, serial: serial(90004), lot: "L3", expiry: "281231", event: "dispensing", time: "2026-02-01T10:00:00Z", expect: "illegal_transition" },
      ],
    ],
    // Expired at the end of 31 Jan 2025, shipped in March 2026.
    [
      250,
      [
        { gtin: good, serial: serial(90005), lot: "L4", expiry: "250131", event: "commissioning", time: "2025-01-05T08:00:00Z", expect: null },
        { gtin: good, serial: serial(90005), lot: "L4", expiry: "", event: "shipping", time: "2026-03-01T09:00:00Z", expect: "expired_shipped" },
      ],
    ],
    [290, [{ gtin: `${good.slice(0, 12)}x`, serial: serial(90006), lot: "L5", expiry: "281231", ...commission, expect: "invalid_gtin" }]],
  ];
  for (const [at, extra] of [...specials].sort((a, b) => b[0] - a[0])) rows.splice(at, 0, ...extra);

  const csv = ["GTIN,Serial number,Lot,Expiry,Business step,Event time", ...rows.map((r) => [r.gtin, r.serial, r.lot, r.expiry, r.event, r.time].join(","))].join("\n") + "\n";
  const counts = Object.fromEntries(SERIAL_CODES.map((c) => [c, rows.filter((r) => r.expect === c).length])) as Record<Code, number>;
  // Sheet row numbers: the header is row 1.
  const rowsOf = (c: Code) => rows.flatMap((r, i) => (r.expect === c ? [i + 2] : []));
  return {
    csv,
    rows: rows.length,
    valid: rows.filter((r) => r.expect === null).length,
    counts,
    findings: rows.filter((r) => r.expect !== null).length,
    rowsOf,
    badGtins: rows.filter((r) => r.expect === "invalid_gtin").map((r) => r.gtin),
  };
}


test("an agent uploads a serial sheet and reads its findings, chart and reports", async ({ page }) => {
  test.setTimeout(120_000);
  const tag = `E${Date.now().toString(36).toUpperCase()}`;
  const sheet = serialSheet(tag);
  const filename = `serials-${tag.toLowerCase()}.csv`;
  expect(sheet.rows).toBeGreaterThan(300);

  await signIn(page, "agent", "/files");
  await expect(page.getByRole("heading", { level: 1, name: "Files" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Files" })).toHaveAttribute("aria-current", "page");
  // Agents cannot upload employee sheets.
  await expect(page.getByLabel("Employee sheet")).toHaveCount(0);

  await page.getByLabel("Serial sheet").check();
  await page.getByLabel("File", { exact: true }).setInputFiles({ name: filename, mimeType: "text/csv", buffer: Buffer.from(sheet.csv) });
  await page.getByRole("button", { name: "Upload" }).click();

  const send = page.getByRole("progressbar", { name: "Sending the file" });
  await expect(send).toBeVisible();
  await expect(send).toHaveAttribute("aria-valuenow", "100");
  const check = page.getByRole("progressbar", { name: "Checking the rows" });
  await expect(check).toBeVisible();
  await expect(check).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(page.getByTestId("upload-card-status")).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("upload-done")).toContainText(`${sheet.findings} findings`);

  // The recent-uploads list shows it as done with its findings count.
  const listRow = page.getByTestId("upload-table").getByRole("row").filter({ hasText: filename });
  await expect(listRow).toContainText("Serial sheet");
  await expect(listRow).toContainText("Done");
  await expect(listRow.getByRole("cell").nth(4)).toHaveText(String(sheet.findings));
  await expectAccessible(page, "/files after an upload");

  await page.getByRole("link", { name: "View the results" }).click();
  await expect(page).toHaveURL(/\/files\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1, name: filename })).toBeVisible();
  await expect(page.getByTestId("upload-status")).toHaveText("Done");

  // Summary: rows, valid rows and every code's count as generated.
  await expect(page.getByTestId("summary-rows")).toHaveText(sheet.rows.toLocaleString("en-US"));
  await expect(page.getByTestId("summary-valid")).toHaveText(sheet.valid.toLocaleString("en-US"));
  await expect(page.getByTestId("summary-findings")).toHaveText(String(sheet.findings));
  for (const code of SERIAL_CODES) {
    await expect(page.getByTestId(`count-${code}`), code).toHaveText(String(sheet.counts[code]));
  }

  // The chart draws (recharts svg) and says its numbers.
  const chart = page.getByRole("region", { name: "Findings by code" });
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await expect(chart.getByRole("img", { name: /^Findings by code/ })).toHaveAttribute("aria-label", new RegExp(`Invalid GTIN ${sheet.counts.invalid_gtin}\\b`));

  // Findings table: all of them on the first page, in file order; an invalid GTIN row with its value.
  const table = page.getByTestId("findings-table");
  await expect(page.getByTestId("findings-status")).toHaveText(`Showing 1–${sheet.findings} of ${sheet.findings} findings.`);
  await expect(table.locator("tbody tr")).toHaveCount(sheet.findings);
  const gtinRow = table.locator("tbody tr[data-code=invalid_gtin]").first();
  await expect(gtinRow).toContainText(sheet.badGtins[0]);
  await expect(gtinRow.getByRole("cell").nth(1)).toHaveText(String(sheet.rowsOf("invalid_gtin")[0]));
  await expect(gtinRow.getByRole("cell").nth(2)).toHaveText("GTIN");
  await expect(gtinRow.getByRole("link", { name: /^Open ticket/ })).toHaveAttribute("href", new RegExp(`^/submit\\?upload=${id}&finding=\\d+$`));

  // Filtering by code shows only those rows.
  await page.getByLabel("Code", { exact: true }).selectOption("invalid_gtin");
  await expect(page.getByTestId("findings-status")).toHaveText(
    `Showing 1–${sheet.counts.invalid_gtin} of ${sheet.counts.invalid_gtin} findings matching the filters.`,
  );
  await expect(table.locator("tbody tr")).toHaveCount(sheet.counts.invalid_gtin);
  await expect(table.locator("tbody tr:not([data-code=invalid_gtin])")).toHaveCount(0);
  const shownRows = await table.locator("tbody tr td:nth-child(2)").allInnerTexts();
  expect(shownRows.map(Number)).toEqual(sheet.rowsOf("invalid_gtin"));
  await page.getByLabel("Code", { exact: true }).selectOption("illegal_transition");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr").getByRole("cell").nth(1)).toHaveText(String(sheet.rowsOf("illegal_transition")[0]));
  await page.getByLabel("Severity").selectOption("warning");
  await expect(page.getByTestId("findings-status")).toHaveText("No findings match these filters.");
  await page.getByLabel("Severity").selectOption("");
  await page.getByLabel("Code", { exact: true }).selectOption("");
  await expect(table.locator("tbody tr")).toHaveCount(sheet.findings);
  await chart.getByText("Show data").click();
  await expectAccessible(page, "/files/[id] with findings");

  // Reports and the original file.
  const xlsxHref = await page.getByTestId("report-xlsx").getAttribute("href");
  const csvHref = await page.getByTestId("report-csv").getAttribute("href");
  expect(xlsxHref).toBe(`/api/uploads/${id}/report?format=xlsx`);
  expect(csvHref).toBe(`/api/uploads/${id}/report?format=csv`);
  const xlsx = await page.request.get(xlsxHref!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  expect((await xlsx.body()).subarray(0, 2).toString("latin1")).toBe("PK");
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv\b/);
  const csvText = await csv.text();
  for (const code of SERIAL_CODES) {
    expect(csvText.split(`,"${code}","error",`).length - 1, `${code} lines in the CSV report`).toBe(sheet.counts[code]);
  }
  const original = await page.request.get(await page.getByTestId("download-original").getAttribute("href").then((h) => h!));
  expect(original.status()).toBe(200);
  expect(await original.text()).toBe(sheet.csv);
});

test("files that are not sheets, or are damaged, show the server's message", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "agent", "/files");
  await page.getByLabel("Serial sheet").check();
  const file = page.getByLabel("File", { exact: true });
  const upload = page.getByRole("button", { name: "Upload" });

  // A PNG renamed to .csv: the content is sniffed after the PUT and refused (415).
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
  await file.setInputFiles({ name: "serials-march.csv", mimeType: "text/csv", buffer: png });
  await upload.click();
  await expect(page.getByRole("alert").filter({ hasText: "The upload failed" })).toBeVisible();
  await expect(page.getByTestId("upload-error")).toContainText("image/png");
  await expect(page.getByTestId("upload-error")).toContainText("(HTTP 415)");
  await expectAccessible(page, "/files with an upload error");

  // Random bytes named .xlsx: not a spreadsheet either.
  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
  await file.setInputFiles({ name: "register.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: garbage });
  await upload.click();
  await expect(page.getByTestId("upload-error")).toContainText("not an .xlsx, .xls or .csv sheet");
  await expect(page.getByTestId("upload-error")).toContainText("(HTTP 415)");

  // An empty file is refused before anything is stored.
  await file.setInputFiles({ name: "empty.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.alloc(0) });
  await upload.click();
  await expect(page.getByRole("alert").filter({ hasText: "The upload failed" })).toContainText("The file is empty");

  // A ZIP that looks like a workbook but is damaged passes the type check and fails in processing.
  const broken = Buffer.from(zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "xl/workbook.xml": strToU8("this is not XML <<<") }));
  await file.setInputFiles({ name: "damaged.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: broken });
  await upload.click();
  await expect(page.getByTestId("upload-card-status")).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  const message = page.getByRole("alert").filter({ hasText: "The sheet could not be processed" }).getByTestId("upload-error");
  await expect(message).not.toBeEmpty();
  const text = (await message.innerText()).trim();
  expect(text.length).toBeGreaterThan(10);

  // The detail page shows the same message.
  await page.getByRole("link", { name: "Open the upload" }).click();
  await expect(page.getByTestId("upload-status")).toHaveText("Failed");
  await expect(page.getByTestId("upload-error")).toHaveText(text);
  await expect(page.getByTestId("report-xlsx")).toHaveCount(0);
  await expectAccessible(page, "/files/[id] failed");
});

test("a compliance sheet is checked against the example rule set, with batches looked up in an uploaded register", async ({ page }) => {
  test.setTimeout(90_000);
  const tag = Date.now().toString(36);
  await signIn(page, "agent", "/files");
  const file = page.getByLabel("File", { exact: true });
  await page.getByLabel("Compliance sheet").check();

  // The batch register: no rule set, named as the dataset the rule set references.
  const ruleSet = page.getByLabel("Rule set");
  await ruleSet.selectOption({ label: "None: a register that rule sets look values up in" });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Choose a file (.xlsx, .xls or .csv).")).toBeVisible();
  await file.setInputFiles({ name: `batches-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from("Batch number,Product\nB-100,Amoxicillin\nB-200,Ibuprofen\n") });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Choose the rule set to check this sheet against, or give it a dataset name")).toBeVisible();
  await page.getByLabel("Dataset name (optional)").fill("batch-register");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-card-status")).toHaveAttribute("data-status", "done", { timeout: 30_000 });

  // The shipment lines, checked against "Pharma shipment register".
  await ruleSet.selectOption({ label: "Pharma shipment register" });
  await page.getByLabel("Dataset name (optional)").fill("");
  const shipment = [
    "Batch;Manufacture date;Expiry date;Quantity",
    "B-100;2026-01-10;2099-01-10;40",
    "B-200;2026-02-10;2026-01-01;10", // expiry before manufacture (error) and expired (warning)
    "B-300;2026-03-10;2099-03-10;0", // not in the register; quantity below 1
    "B-100;2026-01-10;2099-01-10;5", // batch twice
  ].join("\n");
  await file.setInputFiles({ name: `shipment-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(shipment) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-card-status")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await page.getByRole("link", { name: "View the results" }).click();

  await expect(page.getByRole("heading", { level: 1, name: `shipment-${tag}.csv` })).toBeVisible();
  await expect(page.getByText("Rule set: Pharma shipment register")).toBeVisible();
  await expect(page.getByTestId("summary-rows")).toHaveText("4");
  await expect(page.getByTestId("summary-rows-with-errors")).toHaveText("3");
  await expect(page.getByTestId("severity-error")).toHaveText("4");
  await expect(page.getByTestId("severity-warning")).toHaveText("1");
  await expect(page.getByTestId("severity-info")).toHaveText("0");
  await expect(page.getByTestId("insights")).toContainText("missing_reference");
  await expect(page.getByTestId("insights-source")).toHaveText(/^(Deterministic summary of the counts|Written by an LLM \(.+\) from the counts; every number checked)$/);
  const chart = page.getByRole("region", { name: "Findings by code" });
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await expect(chart.getByRole("img", { name: /^Findings by code/ })).toHaveAttribute("aria-label", /Missing reference 1\b/);

  const table = page.getByTestId("findings-table");
  await page.getByLabel("Severity").selectOption("warning");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr").getByRole("cell").nth(1)).toHaveText("3");
  await page.getByLabel("Severity").selectOption("");
  await page.getByLabel("Code", { exact: true }).selectOption("missing_reference");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr")).toContainText("B-300");
  await expectAccessible(page, "/files/[id] compliance");
});

test("findings page by 50 with Next and Previous", async ({ page }) => {
  test.setTimeout(90_000);
  const tag = `P${Date.now().toString(36).toUpperCase()}`;
  const good = gtin14("0950600013435");
  const bad = `${good.slice(0, 13)}${(Number(good[13]) + 5) % 10}`;
  // 120 invalid GTINs between valid rows: 120 findings.
  const lines = ["GTIN,Serial"];
  for (let i = 0; i < 240; i++) lines.push(`${i % 2 ? bad : good},${tag}${i}`);
  await signIn(page, "agent", "/files");
  await page.getByLabel("Serial sheet").check();
  await page.getByLabel("File", { exact: true }).setInputFiles({ name: `paging-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-card-status")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await page.getByRole("link", { name: "View the results" }).click();

  const status = page.getByTestId("findings-status");
  const rows = page.getByTestId("findings-table").locator("tbody tr");
  const firstRow = () => rows.first().getByRole("cell").nth(1);
  const pages = page.getByRole("navigation", { name: "Findings pages" });
  await expect(status).toHaveText("Showing 1–50 of 120 findings.");
  await expect(firstRow()).toHaveText("3"); // sheet row 3 holds the first bad GTIN
  await pages.getByRole("button", { name: "Next page →" }).click();
  await expect(status).toHaveText("Showing 51–100 of 120 findings.");
  await expect(firstRow()).toHaveText(String(3 + 50 * 2));
  await pages.getByRole("button", { name: "Next page →" }).click();
  await expect(status).toHaveText("Showing 101–120 of 120 findings.");
  await expect(rows).toHaveCount(20);
  await expect(pages.getByRole("button", { name: "Next page →" })).toHaveCount(0);
  await pages.getByRole("button", { name: "← Previous page" }).click();
  await expect(status).toHaveText("Showing 51–100 of 120 findings.");
  await expect(rows).toHaveCount(50);
});
