import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ASSISTANT_EXAMPLES, parseCommand } from "@/lib/assistant/grammar";
import { damerauLevenshtein } from "@/lib/assistant/grammar/fuzzy";
import { ASSISTANT_OP_NAMES, AssistantOpSchema, WRITE_OPS } from "@/lib/assistant/ops";
import type { GrammarContext, ParseResult } from "@/lib/assistant/types";
import { GRAMMAR_TEST_CTX, PHRASINGS } from "./phrasings";

/*
 * The deterministic command grammar: every phrasing in tests/assistant/phrasings.ts parses to
 * exactly its operation (dates included), clarify/unknown answers offer runnable candidates,
 * and property checks on random input: it never throws, every operation passes the schema,
 * and nothing that changes data comes out of text that names no ticket and no such verb.
 */

const parse = (text: string, ticketKey?: string) => parseCommand(text, { ...GRAMMAR_TEST_CTX, ...(ticketKey ? { ticketKey } : {}) });

describe("phrasings table", () => {
  it("covers every operation, with at least 110 rows and 6 clarify/unknown rows", () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(110);
    const ops = new Set(PHRASINGS.map((p) => (typeof p.expect === "string" ? p.expect : p.expect.op)));
    for (const name of [...ASSISTANT_OP_NAMES, "clarify", "unknown"]) expect(ops, name).toContain(name);
    expect(PHRASINGS.filter((p) => typeof p.expect === "string").length).toBeGreaterThanOrEqual(6);
    expect(new Set(PHRASINGS.map((p) => `${p.text}|${p.ticketKey ?? ""}`)).size).toBe(PHRASINGS.length);
  });

  it.each(PHRASINGS)("$text", ({ text, ticketKey, expect: want }) => {
    const got = parse(text, ticketKey);
    if (typeof want === "string") {
      expect(got.kind).toBe(want);
      expect(got.kind !== "op" && got.message.length).toBeGreaterThan(10);
    } else {
      expect(got).toEqual({ kind: "op", op: want });
    }
  });
});

describe("clarify answers", () => {
  const clarifies = PHRASINGS.map((p) => ({ ...p, got: parse(p.text, p.ticketKey) })).filter(
    (p): p is typeof p & { got: Extract<ParseResult, { kind: "clarify" }> } => p.got.kind === "clarify" && !!p.got.candidates?.length,
  );

  it("offer candidates for several tickets, ambiguous words and a missing team", () => {
    expect(clarifies.map((c) => c.text)).toEqual(expect.arrayContaining(["close T-1 T-2", "move T-4 to hr", "create category Printers", "show T-12 and T-13", "tickets for maria"]));
  });

  it.each(clarifies)("candidates of $text are commands that parse to an operation", ({ got }) => {
    for (const c of got.candidates ?? []) expect(parse(c.command).kind, c.command).toBe("op");
  });

  it("asks which ticket when 'it' has no ticket on screen, and uses the one on screen otherwise", () => {
    for (const text of ["take it", "close it", "assign it to maria", "note: called back", "set it to P1"]) {
      expect(parse(text).kind, text).toBe("clarify");
      const got = parse(text, "T-77");
      expect(got.kind === "op" && "key" in got.op && got.op.key, text).toBe("T-77");
    }
  });
});

describe("keys, zones and typos", () => {
  it("reads keys in any case, with or without a dash, and #12", () => {
    for (const text of ["show T-12", "show t-12", "show t12", "show T 12", "show t_12", "show #12"]) expect(parse(text)).toEqual({ kind: "op", op: { op: "show", key: "T-12" } });
  });

  it("computes days in the context's time zone", () => {
    const ny: GrammarContext = { ...GRAMMAR_TEST_CTX, timeZone: "America/New_York" };
    expect(parseCommand("tickets created today", ny)).toEqual({
      kind: "op",
      op: { op: "list", filter: { createdFrom: "2026-11-25T05:00:00.000Z", createdTo: "2026-11-26T05:00:00.000Z" } },
    });
    expect(parseCommand("tickets this week", ny)).toEqual({ kind: "op", op: { op: "list", filter: { createdFrom: "2026-11-23T05:00:00.000Z" } } });
  });

  it("measures typos with Damerau–Levenshtein (a swap costs 1)", () => {
    expect(damerauLevenshtein("hihg", "high")).toBe(1);
    expect(damerauLevenshtein("urgnet", "urgent")).toBe(1);
    expect(damerauLevenshtein("closd", "closed")).toBe(1);
    expect(damerauLevenshtein("low", "how")).toBe(1);
    // …but short words are never corrected: "how many" is no priority.
    expect(parse("how many tickets")).toEqual({ kind: "op", op: { op: "stats", metric: "tickets", filter: { status: ["new", "open", "in_progress", "waiting"] } } });
  });
});

describe("examples", () => {
  it("has 10–14 examples and each one parses to an operation", () => {
    expect(ASSISTANT_EXAMPLES.length).toBeGreaterThanOrEqual(10);
    expect(ASSISTANT_EXAMPLES.length).toBeLessThanOrEqual(14);
    for (const e of ASSISTANT_EXAMPLES) expect(parse(e, "T-1").kind, e).toBe("op");
  });
});

/** Invariants of every parse: total, schema-valid, and no write op without a ticket or a write verb in the text. */
function checkInvariants(text: string) {
  const got = parse(text);
  expect(["op", "clarify", "unknown"]).toContain(got.kind);
  if (got.kind !== "op") {
    expect(typeof got.message).toBe("string");
    return;
  }
  expect(AssistantOpSchema.safeParse(got.op).success).toBe(true);
  if (!WRITE_OPS.has(got.op.op)) return;
  if ("key" in got.op) {
    // No ticket on screen: the key must be written in the text.
    const n = got.op.key.slice(2);
    expect(text.match(/\d+/g) ?? []).toContain(n);
  } else if (got.op.op === "bulk") expect(text).toMatch(/\b(?:all|every|each)\b/i);
  else if (got.op.op === "create") expect(text).toMatch(/\b(?:create|open|new|raise|file|log|submit|add|make|start)\b[\s\S]*\b(?:ticket|incident|request|issue|case)\b/i);
  else expect(text).toMatch(/\bcategory\b/i);
}

describe("properties", () => {
  it("never throws on arbitrary text and returns only schema-valid operations", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), checkInvariants), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 120 }), checkInvariants), { numRuns: 300 });
  });

  it("holds on word soups of grammar words, keys, names and dates", () => {
    const words = fc.constantFrom(
      ...("create ticket new open close resolve all my tickets assign to me it this set update move mark as priority high low p1 P2 sev1 urgent " +
        "waiting on vendor requester in progress closed done note reply comment : , - team category hardware storage hr identity access " +
        "show list how many count breaches breached at risk today yesterday this last week month since monday from to between and 1 nov " +
        "2026-11-20 maria@corp.test alice Maria top 5 sorted by due search about vpn unassigned every #12 T-3 t7 T 9 ? help delete").split(" "),
    );
    fc.assert(fc.property(fc.array(words, { minLength: 1, maxLength: 12 }).map((w) => w.join(" ")), checkInvariants), { numRuns: 2000 });
  });
});
