import { describe, expect, it } from "vitest";
import { SEED_TEAMS } from "@/db/seed";
import { evaluateAssignment, loadSheetForEval, readAssignFixture, readEmployeeSheet } from "@/lib/routing/assign/evaluate";
import { useTestDb } from "../helpers/db";

const t = useTestDb();
const sheet = readEmployeeSheet("data/routing/employees.csv");
const fixture = readAssignFixture("data/eval/assign.csv");
const teamByName = new Map<string, string>(SEED_TEAMS.map((x) => [x.name.toLowerCase(), x.slug]));

describe("the shipped employee sheet and labelled tickets", () => {
  it("has at least 30 people over every seed team, with distinct e-mails and known time zones", () => {
    expect(sheet.length).toBeGreaterThanOrEqual(30);
    expect(new Set(sheet.map((p) => p.email)).size).toBe(sheet.length);
    expect(new Set(sheet.map((p) => teamByName.get(p.department.toLowerCase())))).toEqual(new Set(SEED_TEAMS.map((x) => x.slug)));
    for (const p of sheet) expect(() => new Intl.DateTimeFormat("en", { timeZone: p.timeZone }), p.email).not.toThrow();
    expect(new Set(sheet.map((p) => p.seniority)).size).toBe(4);
  });

  it("has at least 80 tickets, each labelled with active members of its own team", () => {
    expect(fixture.length).toBeGreaterThanOrEqual(80);
    const teamOf = new Map(sheet.filter((p) => p.active).map((p) => [p.email, teamByName.get(p.department.toLowerCase())]));
    for (const tk of fixture) for (const e of tk.expected) expect(teamOf.get(e), `${tk.title}: ${e}`).toBe(tk.team);
  });
});

/*
 * Matching on the fixture. Floors sit below the rates measured when the fixture was written
 * (docs/EVALUATION.md: lexical top-1 88.9 %, top-3 94.4 %; + embeddings top-1 88.9 %, top-3
 * 97.8 %), leaving margin for a retrained local model; a real regression falls under them.
 */
describe("matching on the fixture (hours and capacity ignored)", () => {
  it("lexical only: top-3 ≥ 85 %, top-1 ≥ 75 %", async () => {
    await loadSheetForEval(t.db, sheet);
    const r = await evaluateAssignment(t.db, fixture, { semantic: false });
    expect(r.n).toBe(fixture.length);
    expect(r.top3).toBeGreaterThanOrEqual(0.85);
    expect(r.top1).toBeGreaterThanOrEqual(0.75);
  });

  it("lexical + embeddings: top-3 ≥ 90 %, top-1 ≥ 75 %", async () => {
    const r = await evaluateAssignment(t.db, fixture, { semantic: true });
    expect(r.top3).toBeGreaterThanOrEqual(0.9);
    expect(r.top1).toBeGreaterThanOrEqual(0.75);
  });
});
