import "server-only";
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import type { Db } from "@/db/client";
import { employees, teams, users } from "@/db/schema";
import { SENIORITIES, type Seniority } from "@/db/schema/routing";
import { embedEmployeeProfile } from "@/lib/routing/employees/profile";
import { rankCandidates } from "./rank";

/**
 * The assignee-matching evaluation (npm run eval:assign, tests/routing/assign-fixture.test.ts):
 * the shipped employee sheet (data/routing/employees.csv) and the labelled tickets
 * (data/eval/assign.csv: title, description, team slug, expected assignee e-mails separated by
 * ";") loaded into a database, each ticket ranked among its team, hits counted at 1 and 3.
 * Working hours and capacity are ignored (they depend on the clock and the load, not on the
 * text); the LLM (rerank, provider embeddings) only when asked.
 */

/** One row of the employee sheet (the columns H4's import reads). */
export interface SheetEmployee {
  name: string;
  email: string;
  department: string;
  skills: string[];
  seniority: Seniority;
  maxOpenTickets: number;
  timeZone: string;
  active: boolean;
}

/** One labelled ticket. */
export interface LabelledTicket {
  title: string;
  description: string;
  team: string;
  /** Right assignees (lower-case e-mails); any of them counts as a hit. */
  expected: string[];
}

const readCsv = (file: string) => parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];

/**
 * Read the employee sheet (columns name,email,department,skills,seniority,max_open_tickets,time_zone,active).
 * @throws Error naming the row for a bad seniority, capacity or active flag.
 */
export function readEmployeeSheet(file: string): SheetEmployee[] {
  return readCsv(file).map((r, i) => {
    const seniority = r.seniority.toLowerCase() as Seniority;
    if (!SENIORITIES.includes(seniority)) throw new Error(`${file} row ${i + 2}: seniority ${r.seniority}`);
    const max = Number(r.max_open_tickets);
    if (!Number.isInteger(max) || max < 0) throw new Error(`${file} row ${i + 2}: max_open_tickets ${r.max_open_tickets}`);
    if (!/^(true|false)$/i.test(r.active)) throw new Error(`${file} row ${i + 2}: active ${r.active}`);
    return {
      name: r.name,
      email: r.email.toLowerCase(),
      department: r.department,
      skills: r.skills.split(";").map((s) => s.trim()).filter(Boolean),
      seniority,
      maxOpenTickets: max,
      timeZone: r.time_zone,
      active: r.active.toLowerCase() === "true",
    };
  });
}

/** Read the labelled tickets. @throws Error for a row without a title, team or expected assignee. */
export function readAssignFixture(file: string): LabelledTicket[] {
  return readCsv(file).map((r, i) => {
    const expected = r.expected.split(";").map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (!r.title || !r.team || expected.length === 0) throw new Error(`${file} row ${i + 2}: title, team and expected are required`);
    return { title: r.title, description: r.description, team: r.team, expected };
  });
}

/**
 * Insert the sheet's people as agent users and employee profiles (department matched to a team
 * by slug or name, case-insensitive), with their profile embeddings. For an empty evaluation
 * database; the app's import is lib/routing/employees (H4).
 * @throws Error when a department matches no team.
 */
export async function loadSheetForEval(db: Db, sheet: readonly SheetEmployee[]): Promise<void> {
  const teamRows = await db.select({ slug: teams.slug, name: teams.name }).from(teams);
  const teamOf = (dep: string) => teamRows.find((t) => t.slug === dep.toLowerCase() || t.name.toLowerCase() === dep.toLowerCase())?.slug;
  for (const p of sheet) {
    const team = teamOf(p.department);
    if (!team) throw new Error(`No team for department ${p.department}`);
    const [u] = await db.insert(users).values({ email: p.email, name: p.name, role: "agent", teamSlug: team }).returning({ id: users.id });
    const emb = embedEmployeeProfile({ department: p.department, skills: p.skills, seniority: p.seniority });
    await db.insert(employees).values({
      email: p.email,
      name: p.name,
      teamSlug: team,
      department: p.department,
      skills: p.skills,
      seniority: p.seniority,
      maxOpenTickets: p.maxOpenTickets,
      timeZone: p.timeZone,
      active: p.active,
      userId: u.id,
      embedding: Array.from(emb.vector),
      embeddingModel: emb.model,
    });
  }
}

export interface AssignEvalResult {
  n: number;
  top1: number;
  top3: number;
  /** Tickets whose expected assignee was not ranked first: title, expected, ranked top 3 e-mails. */
  misses: { title: string; expected: string[]; ranked: string[] }[];
}

/**
 * Rank every labelled ticket among its team (hours and capacity ignored) and count hits.
 * @param opts.semantic include the embedding similarity (false = lexical only).
 * @param opts.llm use the configured LLM: its rerank of the top 5, and its embeddings when
 *   LLM_EMBEDDING_MODEL is set (otherwise the local model's embeddings only).
 */
export async function evaluateAssignment(
  db: Db,
  tickets: readonly LabelledTicket[],
  opts: { semantic: boolean; llm?: boolean },
): Promise<AssignEvalResult> {
  let top1 = 0;
  let top3 = 0;
  const misses: AssignEvalResult["misses"] = [];
  for (const t of tickets) {
    const r = await rankCandidates(
      db,
      { title: t.title, description: t.description, teamSlug: t.team },
      { semantic: opts.semantic, rerank: opts.llm ?? false, providerEmbeddings: opts.llm ?? false, ignoreHours: true, ignoreCapacity: true },
    );
    const ranked = r.candidates.map((c) => c.email);
    if (t.expected.includes(ranked[0])) top1++;
    else misses.push({ title: t.title, expected: t.expected, ranked: ranked.slice(0, 3) });
    if (ranked.slice(0, 3).some((e) => t.expected.includes(e))) top3++;
  }
  const n = tickets.length;
  return { n, top1: n ? top1 / n : 0, top3: n ? top3 / n : 0, misses };
}
