import { describe, expect, it } from "vitest";
import type { ParsedSheet } from "@/lib/files/types";
import {
  evaluateRuleSet,
  referencedDatasets,
  referenceKey,
  referenceMap,
  referenceValues,
  ruleKey,
  type ComplianceResult,
} from "@/lib/files/compliance/evaluator";
import { normalizeHeader } from "@/lib/files/compliance/headers";
import { checkRegexSafety, MAX_PATTERN_INPUT } from "@/lib/files/compliance/regex-safety";
import { issueList, PHARMA_SHIPMENT_RULE_SET, RuleSchema, RuleSetSchema, type RuleInput } from "@/lib/files/compliance/schema";
import { parseDateCell, parseNumberCell, resolveDateBound } from "@/lib/files/compliance/values";

/** A sheet from a header line and data lines (header on row 1, data from row 2). */
function sheet(headers: string[], ...rows: string[][]): ParsedSheet {
  return { name: "Shipments", headerRow: 1, headers, rows: rows.map((values, i) => ({ row: i + 2, values })) };
}

const NO_REFS = new Map<string, Set<string>>();
const TODAY = "2025-06-15";

function run(rules: RuleInput[], s: ParsedSheet, refs: ReadonlyMap<string, ReadonlySet<string>> = NO_REFS): ComplianceResult {
  const parsed = RuleSetSchema.parse({ name: "Test set", rules });
  return evaluateRuleSet(parsed, s, refs, { today: TODAY });
}
const codes = (r: ComplianceResult) => r.findings.map((f) => `${f.row}:${f.column}:${f.code}`);

describe("header matching", () => {
  it("ignores case, spacing, punctuation and accents", () => {
    expect(normalizeHeader(" Expiry-Date ")).toBe("expirydate");
    expect(normalizeHeader("EXPIRY_DATE")).toBe("expirydate");
    expect(normalizeHeader("Expiry  date (UTC)")).toBe("expirydateutc");
    expect(normalizeHeader("Numéro de lot")).toBe("numerodelot");
    expect(normalizeHeader("Qty")).not.toBe(normalizeHeader("Quantity"));
  });

  it("finds required columns written differently and reports the header as written in the sheet", () => {
    const s = sheet(["BATCH ", "expiry_date", "Manufacture-Date", "qty"], ["B1", "2026-01-01", "2025-01-01", "0"]);
    const r = run([
      { type: "required_columns", columns: ["Batch", "Expiry date", "Manufacture date", "Quantity"] },
      { type: "range", column: "Expiry Date", kind: "date", max: "2025-12-31" },
    ], s);
    expect(codes(r)).toEqual(["1:Quantity:missing_column", "2:expiry_date:out_of_range"]);
    expect(r.findings[1].value).toBe("2026-01-01");
  });
});

describe("required_columns", () => {
  it("passes when all columns are there, and reports each missing one once at the header row", () => {
    const ok = run([{ type: "required_columns", columns: ["A", "B"] }], sheet(["a", "b"], ["1", "2"]));
    expect(ok.totalFindings).toBe(0);
    const bad = run(
      [
        { type: "required_columns", columns: ["A", "B", "C"], severity: "warning" },
        { type: "not_empty", columns: ["C"] }, // same missing column: reported once, with the higher severity
      ],
      sheet(["a"], ["1"]),
    );
    expect(bad.findings.map((f) => [f.column, f.severity, f.row])).toEqual([
      ["B", "warning", 1],
      ["C", "error", 1],
    ]);
    expect(bad.rowsWithErrors).toBe(0); // file-level findings are not row findings
    expect(bad.counts.byRule).toEqual({ "1-required_columns": 1, "2-not_empty": 1 });
  });
});

describe("not_empty", () => {
  it("flags blank and whitespace-only cells, and short rows", () => {
    const r = run([{ type: "not_empty", columns: ["Batch", "Qty"] }], sheet(["Batch", "Qty"], ["B1", "3"], ["  ", "4"], ["B3"]));
    expect(codes(r)).toEqual(["3:Batch:empty_value", "4:Qty:empty_value"]);
    expect(r.rowsWithErrors).toBe(2);
  });
});

describe("domain", () => {
  const rules: RuleInput[] = [{ type: "domain", column: "Status", values: ["Released", "Quarantine"] }];
  it("accepts allowed values, case-insensitively by default, and skips empty cells", () => {
    const r = run(rules, sheet(["Status"], ["Released"], ["quarantine"], [" RELEASED "], [""]));
    expect(r.totalFindings).toBe(0);
  });
  it("rejects other values; caseSensitive makes case count", () => {
    const r = run(rules, sheet(["Status"], ["Rejected"], ["Released"]));
    expect(codes(r)).toEqual(["2:Status:value_not_allowed"]);
    expect(r.findings[0].message).toContain("Released, Quarantine");
    const cs = run([{ ...rules[0], caseSensitive: true } as RuleInput], sheet(["Status"], ["released"], ["Released"]));
    expect(codes(cs)).toEqual(["2:Status:value_not_allowed"]);
  });
});

describe("pattern", () => {
  it("matches the whole trimmed cell (anchored), with flags", () => {
    const rules: RuleInput[] = [{ type: "pattern", column: "GTIN", regex: "\\d{14}" }];
    const r = run(rules, sheet(["GTIN"], ["09506000134352"], [" 09506000134352 "], ["0950600013435"], ["x09506000134352"], [""]));
    expect(codes(r)).toEqual(["4:GTIN:pattern_mismatch", "5:GTIN:pattern_mismatch"]);
    const ci = run([{ type: "pattern", column: "Code", regex: "[a-z]+", flags: "i" }], sheet(["Code"], ["ABC"], ["ab1"]));
    expect(codes(ci)).toEqual(["3:Code:pattern_mismatch"]);
  });

  it("anchoring holds with top-level alternation", () => {
    const r = run([{ type: "pattern", column: "C", regex: "ab|cd" }], sheet(["C"], ["ab"], ["cd"], ["abcd"], ["xcd"]));
    expect(codes(r)).toEqual(["4:C:pattern_mismatch", "5:C:pattern_mismatch"]);
  });

  it("does not run the pattern on over-long cells", () => {
    const r = run([{ type: "pattern", column: "C", regex: "a+" }], sheet(["C"], ["a".repeat(MAX_PATTERN_INPUT + 1)]));
    expect(r.findings[0].code).toBe("pattern_mismatch");
    expect(r.findings[0].message).toContain("longer than");
  });

  it("stops a pattern rule past its time budget with a pattern_timeout finding", () => {
    // Polynomial backtracking the static check lets through; the budget bounds it.
    const parsed = RuleSetSchema.parse({ name: "slow", rules: [{ type: "pattern", column: "C", regex: "\\d*\\d*\\d*x" }] });
    const rows = Array.from({ length: 50 }, () => ["1".repeat(400)]);
    const r = evaluateRuleSet(parsed, sheet(["C"], ...rows), NO_REFS, { patternBudgetMs: 20 });
    const timeout = r.findings.filter((f) => f.code === "pattern_timeout");
    expect(timeout).toHaveLength(1);
    expect(r.counts.byCode.pattern_mismatch).toBeLessThan(50);
  });
});

describe("regex safety", () => {
  it.each([
    ["(a+)+$", /Nested quantifier/],
    ["(a*)*", /Nested quantifier/],
    ["(\\d+){2,}", /Nested quantifier/],
    ["(?:x\\w+)+y", /Nested quantifier/],
    ["((ab)+c)*", /Nested quantifier/],
    ["(\\d{1,3})+", /Nested quantifier/],
    ["(a|ab)*c", /Repeated alternatives/],
    ["(\\w|\\d)+", /Repeated alternatives/],
    ["((a|aa)b)+", /Repeated alternatives/],
    ["(a)\\1", /Back-references/],
    ["(?<x>a)\\k<x>", /Back-references/],
    ["[a-", /Not a valid regular expression/],
    ["(abc", /Not a valid regular expression/],
    ["a".repeat(501), /at most 500/],
  ])("rejects %s", (regex, msg) => {
    expect(checkRegexSafety(regex)).toMatch(msg);
    const parsed = RuleSchema.safeParse({ type: "pattern", column: "C", regex });
    expect(parsed.success).toBe(false);
  });

  it.each(["\\d{14}", "[A-Z]{2}\\d{6}", "(\\d{1,3}\\.){3}\\d{1,3}", "(foo|bar)+", "(ab)+", "[(a+)+]", "\\(a+\\)+", "[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{1,20}", "\\p{L}+"])(
    "accepts %s",
    (regex) => {
      expect(checkRegexSafety(regex, "u")).toBeNull();
    },
  );

  it("refuses g/y/m and repeated flags", () => {
    for (const flags of ["g", "y", "m", "ii"]) expect(RuleSchema.safeParse({ type: "pattern", column: "C", regex: "a", flags }).success).toBe(false);
    expect(RuleSchema.safeParse({ type: "pattern", column: "C", regex: "a", flags: "iu" }).success).toBe(true);
  });

  it("a rejected pattern is reported at its path", () => {
    const r = RuleSetSchema.safeParse({ name: "x set", rules: [{ type: "not_empty", columns: ["A"] }, { type: "pattern", column: "C", regex: "(a+)+" }] });
    expect(r.success).toBe(false);
    expect(issueList(r.error!)).toEqual([{ path: "rules.1.regex", message: expect.stringMatching(/Nested quantifier/) }]);
  });
});

describe("range", () => {
  it("numbers: inclusive bounds, grouped thousands, invalid numbers reported once", () => {
    const r = run(
      [
        { type: "range", column: "Qty", kind: "number", min: 1, max: 1000 },
        { type: "cross_field", left: "Qty", op: "<=", right: "Max", kind: "number" },
      ],
      sheet(["Qty", "Max"], ["1", "5"], ["1,000", "2000"], ["0", "5"], ["1,001", "5000"], ["ten", "5"], ["", "5"], ["1,5", "5"]),
    );
    expect(codes(r)).toEqual(["4:Qty:out_of_range", "5:Qty:out_of_range", "6:Qty:invalid_number", "8:Qty:invalid_number"]);
  });

  it("dates: ISO bounds at day precision, today±N, invalid dates", () => {
    const r = run(
      [{ type: "range", column: "Expiry", kind: "date", min: "today+30", max: "2030-12-31" }],
      sheet(["Expiry"], ["2025-07-15"], ["2025-07-14T23:59:59"], ["2030-12-31T18:00:00"], ["2031-01-01"], ["2025-02-30"], ["15/07/2025"]),
    );
    expect(codes(r)).toEqual(["3:Expiry:out_of_range", "5:Expiry:out_of_range", "6:Expiry:invalid_date", "7:Expiry:invalid_date"]);
    expect(r.findings[0].message).toContain("today being 2025-06-15");
  });

  it("schema: number ranges need numbers, date ranges need dates, min ≤ max", () => {
    const bad = (rule: Record<string, unknown>) => RuleSchema.safeParse({ type: "range", column: "C", ...rule });
    expect(bad({ kind: "number" }).success).toBe(false);
    expect(bad({ kind: "number", min: "1" }).success).toBe(false);
    expect(bad({ kind: "number", min: 5, max: 1 }).success).toBe(false);
    expect(bad({ kind: "date", min: 5 }).success).toBe(false);
    expect(bad({ kind: "date", min: "2025-02-30" }).success).toBe(false);
    expect(bad({ kind: "date", min: "yesterday" }).success).toBe(false);
    expect(bad({ kind: "date", min: "2026-01-01", max: "2025-01-01" }).success).toBe(false);
    expect(bad({ kind: "date", min: "today-7", max: "2099-01-01" }).success).toBe(true);
  });
});

describe("cross_field", () => {
  const rule: RuleInput = { type: "cross_field", left: "Expiry date", op: ">", right: "Manufacture date", kind: "date" };
  it("passes when the comparison holds, skips rows with an empty side", () => {
    const r = run([rule], sheet(["Manufacture date", "Expiry date"], ["2024-01-01", "2026-01-01"], ["", "2020-01-01"], ["2024-01-01", ""]));
    expect(r.totalFindings).toBe(0);
  });
  it("reports violations on the left column, and unreadable dates", () => {
    const r = run([rule], sheet(["Manufacture date", "Expiry date"], ["2024-01-01", "2024-01-01"], ["2024-05-01", "2023-12-31"], ["2024-05-01", "soon"]));
    expect(codes(r)).toEqual(["2:Expiry date:cross_field_violation", "3:Expiry date:cross_field_violation", "4:Expiry date:invalid_date"]);
    expect(r.findings[1].message).toBe('Expiry date "2023-12-31" must be > Manufacture date "2024-05-01"');
  });
  it.each([
    ["<", [1, 2], true],
    ["<", [2, 2], false],
    ["<=", [2, 2], true],
    [">=", [1, 2], false],
    ["=", [2, 2], true],
    ["!=", [2, 2], false],
  ] as const)("numbers: %s on %j holds = %s", (op, [a, b], holds) => {
    const r = run([{ type: "cross_field", left: "A", op, right: "B", kind: "number" }], sheet(["A", "B"], [String(a), String(b)]));
    expect(r.totalFindings === 0).toBe(holds);
  });
});

describe("unique", () => {
  it("flags later repeats of a value combination, naming the first row; skips incomplete keys", () => {
    const r = run(
      [{ type: "unique", columns: ["GTIN", "Serial"] }],
      sheet(["GTIN", "Serial"], ["1", "A"], ["1", "B"], ["1", "A "], ["2", "A"], ["1", "A"], ["", "A"], ["", "A"]),
    );
    expect(codes(r)).toEqual(["4:GTIN:duplicate_value", "6:GTIN:duplicate_value"]);
    expect(r.findings[0].message).toContain("repeats row 2");
    expect(r.findings[0].value).toBe("1 / A");
  });
});

describe("reference", () => {
  const rules: RuleInput[] = [{ type: "reference", column: "Batch", dataset: "batch-register", refColumn: "Batch number" }];
  const register: ParsedSheet = sheet(["Batch Number", "Product"], ["B1", "X"], [" B2 ", "Y"], ["", "Z"]);

  it("checks values against the referenced sheet's column", () => {
    expect(referencedDatasets({ rules: RuleSetSchema.parse({ name: "xx", rules }).rules })).toEqual([
      { dataset: "batch-register", refColumn: "Batch number", key: "batch-register::batchnumber" },
    ]);
    const values = referenceValues(register, "batch number");
    expect([...values!]).toEqual(["B1", "B2"]);
    expect(referenceValues(register, "Lot")).toBeNull();
    const refs = new Map([[referenceKey("batch-register", "BATCH_NUMBER"), values!]]);
    const r = run(rules, sheet(["Batch"], ["B1"], ["B2"], ["B3"], [""]), refs);
    expect(codes(r)).toEqual(["4:Batch:missing_reference"]);
    expect(r.findings[0].message).toBe('"B3" is not in Batch number of "batch-register"');
  });

  it("builds refs from parsed workbooks by dataset: first sheet with the column; absent datasets left out", () => {
    const set = RuleSetSchema.parse({
      name: "two refs",
      rules: [...rules, { type: "reference", column: "Site", dataset: "sites", refColumn: "Code" }],
    });
    const other: ParsedSheet = { ...sheet(["Notes"], ["x"]), name: "Notes" };
    const refs = referenceMap(set, new Map([["batch-register", { sheets: [other, register] }]]));
    expect([...refs.keys()]).toEqual(["batch-register::batchnumber"]);
    expect([...refs.get("batch-register::batchnumber")!]).toEqual(["B1", "B2"]);
  });

  it("a missing referenced dataset is one file-level error, not a crash", () => {
    const r = run([...rules, { type: "not_empty", columns: ["Batch"] }], sheet(["Batch"], ["B1"], [""]));
    expect(codes(r)).toEqual(["1:Batch:missing_reference_dataset", "3:Batch:empty_value"]);
    expect(r.findings[0].severity).toBe("error");
    expect(r.findings[0].message).toContain('"batch-register"');
  });
});

describe("results", () => {
  it("counts by severity, code, rule and column, rows with errors vs any finding, and caps the list", () => {
    const rules: RuleInput[] = [
      { id: "qty", type: "range", column: "Qty", kind: "number", min: 1 },
      { id: "status", type: "domain", column: "Status", values: ["ok"], severity: "warning", message: "Status must be ok" },
    ];
    const rows = [["0", "ok"], ["5", "bad"], ["0", "bad"], ["5", "ok"]];
    const parsed = RuleSetSchema.parse({ name: "counts", rules });
    const r = evaluateRuleSet(parsed, sheet(["Qty", "Status"], ...rows), NO_REFS, { maxFindings: 2, examplesPerCode: 1 });
    expect(r).toMatchObject({ rows: 4, rowsWithErrors: 2, rowsWithFindings: 3, totalFindings: 4, truncated: true });
    expect(r.findings).toHaveLength(2);
    expect(r.counts).toEqual({
      bySeverity: { error: 2, warning: 2, info: 0 },
      byCode: { out_of_range: 2, value_not_allowed: 2 },
      severityByCode: { out_of_range: "error", value_not_allowed: "warning" },
      byRule: { qty: 2, status: 2 },
      byColumn: { Qty: 2, Status: 2 },
    });
    expect(r.examples.value_not_allowed).toHaveLength(1);
    expect(r.examples.value_not_allowed![0]).toMatchObject({ row: 3, message: "Status must be ok", rule: "status" });
    expect(r.rules).toEqual([
      { key: "qty", type: "range", severity: "error" },
      { key: "status", type: "domain", severity: "warning" },
    ]);
  });

  it("rule keys default to position-type; duplicate ids are refused", () => {
    const rules = RuleSetSchema.parse({ name: "k set", rules: [{ type: "not_empty", columns: ["A"] }, { id: "x", type: "unique", columns: ["A"] }] }).rules;
    expect(rules.map(ruleKey)).toEqual(["1-not_empty", "x"]);
    const dup = RuleSetSchema.safeParse({ name: "k set", rules: [{ id: "x", type: "not_empty", columns: ["A"] }, { id: "x", type: "unique", columns: ["A"] }] });
    expect(dup.success).toBe(false);
    expect(issueList(dup.error!)[0].path).toBe("rules.1.id");
  });

  it("the rule set schema refuses unknown rule types and fields, with paths", () => {
    const r = RuleSetSchema.safeParse({ name: "x set", rules: [{ type: "regex", column: "A" }, { type: "unique", columns: [], extra: 1 }] });
    expect(r.success).toBe(false);
    const paths = issueList(r.error!).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["rules.0.type", "rules.1.columns", "rules.1"]));
  });
});

describe("values", () => {
  it("reads numbers and ISO dates strictly", () => {
    expect(parseNumberCell(" 12.5 ")).toBe(12.5);
    expect(parseNumberCell("-1e3")).toBe(-1000);
    expect(parseNumberCell("1,234,567.8")).toBe(1234567.8);
    expect(parseNumberCell("1,23")).toBeNaN();
    expect(parseNumberCell("12abc")).toBeNaN();
    expect(parseDateCell("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseDateCell("2023-02-29")).toBeNaN();
    expect(parseDateCell("2024-01-01T10:00:00+02:00")).toBe(Date.UTC(2024, 0, 1, 8));
    expect(parseDateCell("2024-13-01")).toBeNaN();
    expect(resolveDateBound("today-1", "2025-01-01")).toBe(resolveDateBound("2024-12-31", "2000-01-01"));
  });
});

describe("the example rule set (Pharma shipment register)", () => {
  it("is valid and finds each seeded problem", () => {
    const set = RuleSetSchema.parse(PHARMA_SHIPMENT_RULE_SET);
    expect(referencedDatasets(set).map((d) => d.key)).toEqual(["batch-register::batchnumber"]);
    const s = sheet(
      ["Batch", "Manufacture date", "Expiry date", "Quantity"],
      ["LOT-001", "2025-01-01", "2027-01-01", "10"],
      ["LOT-002", "2025-01-01", "2024-12-01", "10"], // expiry before manufacture, and expired
      ["LOT-001", "2025-01-01", "2027-01-01", "0"], // duplicate batch, quantity 0
      ["LOT 9", "2025-01-01", "2027-01-01", "5"], // space is not in GS1 character set 82; not registered
    );
    const refs = new Map([["batch-register::batchnumber", new Set(["LOT-001", "LOT-002"])]]);
    const r = evaluateRuleSet(set, s, refs, { today: TODAY });
    expect(codes(r)).toEqual([
      "3:Expiry date:cross_field_violation",
      "3:Expiry date:out_of_range",
      "4:Quantity:out_of_range",
      "4:Batch:duplicate_value",
      "5:Batch:pattern_mismatch",
      "5:Batch:missing_reference",
    ]);
    expect(r.findings.find((f) => f.code === "out_of_range" && f.row === 3)?.severity).toBe("warning");
    expect(r.rowsWithErrors).toBe(3);
  });
});

describe("performance", () => {
  it("checks 100,000 rows with the example rule set (time reported, not asserted)", () => {
    const set = RuleSetSchema.parse(PHARMA_SHIPMENT_RULE_SET);
    const n = 100_000;
    const registered = new Set<string>();
    const rows: string[][] = [];
    for (let i = 0; i < n; i++) {
      const batch = `LOT-${String(i).padStart(6, "0")}`;
      if (i % 10 !== 0) registered.add(batch);
      rows.push([batch, "2025-01-01", i % 50 === 0 ? "2024-06-01" : "2027-03-01", String(i % 100 === 0 ? 0 : 1 + (i % 500))]);
    }
    const s = sheet(["Batch", "Manufacture date", "Expiry date", "Quantity"], ...rows);
    const t0 = performance.now();
    const r = evaluateRuleSet(set, s, new Map([["batch-register::batchnumber", registered]]), { today: TODAY });
    const ms = performance.now() - t0;
    console.log(`[perf] evaluateRuleSet: ${n} rows × ${set.rules.length} rules in ${ms.toFixed(0)} ms, ${r.totalFindings} findings`);
    expect(r.rows).toBe(n);
    expect(r.counts.byCode).toEqual({ missing_reference: n / 10, cross_field_violation: n / 50, out_of_range: n / 50 + n / 100 });
  });
});
