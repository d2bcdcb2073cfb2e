import { describe, expect, it } from "vitest";
import { describePath, draftFromRule, emptyDraft, errorsByPlace, ruleFromDraft } from "@/lib/files/compliance/draft";
import { issueList, PHARMA_SHIPMENT_RULE_SET, RuleSchema, RuleSetSchema, RULE_TYPES } from "@/lib/files/compliance/schema";

describe("rule-set editor drafts", () => {
  it("round-trips every rule of the example set through the form's draft", () => {
    const parsed = RuleSetSchema.parse(PHARMA_SHIPMENT_RULE_SET).rules;
    const back = parsed.map((r, i) => ruleFromDraft(draftFromRule(r, `u${i}`)));
    expect(back).toEqual(parsed);
  });

  it("round-trips domain, range and cross-field options", () => {
    const rules = [
      { type: "domain", column: "Status", values: ["A", "B"], caseSensitive: true, severity: "warning", id: "st", message: "Bad status" },
      { type: "range", column: "Expiry", kind: "date", min: "today-7", max: "2030-01-01", severity: "error" },
      { type: "range", column: "Qty", kind: "number", max: 10.5, severity: "info" },
      { type: "cross_field", left: "A", op: "<=", right: "B", kind: "number", severity: "error" },
      { type: "pattern", column: "C", regex: "[a-z]+", flags: "iu", severity: "error" },
      { type: "reference", column: "Batch", dataset: "batch-register", refColumn: "Batch number", severity: "error" },
    ];
    expect(rules.map((r, i) => ruleFromDraft(draftFromRule(r, String(i))))).toEqual(rules);
  });

  it("lists are one item per line, blank lines and spaces dropped; bounds typed as numbers for number ranges", () => {
    const d = { ...emptyDraft("required_columns", "x"), columns: " Batch \n\n Expiry date\r\nQuantity\n" };
    expect(ruleFromDraft(d)).toEqual({ type: "required_columns", columns: ["Batch", "Expiry date", "Quantity"], severity: "error" });
    const r = { ...emptyDraft("range", "y"), column: "Qty", min: " 1 ", max: "lots" };
    expect(ruleFromDraft(r)).toEqual({ type: "range", column: "Qty", kind: "number", min: 1, max: "lots", severity: "error" });
    // the schema then says what is wrong, at the field
    const res = RuleSchema.safeParse(ruleFromDraft(r));
    expect(res.success).toBe(false);
    expect(issueList(res.error!)).toEqual([{ path: "max", message: "For a number range, max must be a number" }]);
  });

  it("an empty draft of each type fails the schema with field errors, not a crash", () => {
    for (const type of RULE_TYPES) {
      const res = RuleSetSchema.safeParse({ name: "Drafts", rules: [ruleFromDraft(emptyDraft(type, "z"))] });
      expect(res.success, type).toBe(false);
      const places = Object.keys(errorsByPlace(issueList(res.error!)));
      expect(places.every((p) => p.startsWith("rules.0")), `${type}: ${places}`).toBe(true);
    }
  });

  it("unknown JSON shapes become a draft the form can show", () => {
    expect(draftFromRule({ type: "telepathy", columns: "A" }, "q")).toMatchObject({ type: "required_columns", columns: "A", severity: "error" });
  });

  it("groups issues by the place the form shows them and names paths for people", () => {
    const places = errorsByPlace([
      { path: "name", message: "Enter a name" },
      { path: "rules.2.columns.1", message: "Enter a column name" },
      { path: "rules.2.columns.3", message: "second" },
      { path: "rules.0", message: "Unrecognized key: \"extra\"" },
      { path: "", message: "Unrecognized key" },
    ]);
    expect(places).toEqual({ name: "Enter a name", "rules.2.columns": "Enter a column name", "rules.0": 'Unrecognized key: "extra"', form: "Unrecognized key" });
    expect(describePath("rules.2.regex")).toBe("Rule 3 › regex");
    expect(describePath("rules.0.columns.1")).toBe("Rule 1 › columns › item 2");
    expect(describePath("rules")).toBe("Rules");
    expect(describePath("name")).toBe("name");
  });
});
