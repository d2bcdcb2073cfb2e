/**
 * npm run eval:assign [-- --employees FILE.csv] [--tickets FILE.csv] [--llm] [--misses]
 *
 * Assignee matching on a labelled fixture: loads the employee sheet (default
 * data/routing/employees.csv) and the labelled tickets (default data/eval/assign.csv) into an
 * in-memory PGlite, ranks each ticket among the active members of its team and prints top-1 and
 * top-3 hit rates, lexical only and lexical + local embeddings (and, with --llm, with the configured
 * LLM: its rerank of the top 5, and its embeddings instead of the local ones when
 * LLM_EMBEDDING_MODEL is set). Working hours and capacity are ignored (they depend on the clock
 * and the current load, not on the text). --misses lists the tickets missed at top 1.
 * The LAST stdout line is one JSON object:
 * {"n","lexical":{"top1","top3"},"embeddings":{"top1","top3"}[,"llm":{"top1","top3"}]}.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    employees: { type: "string", default: "data/routing/employees.csv" },
    tickets: { type: "string", default: "data/eval/assign.csv" },
    llm: { type: "boolean", default: false },
    misses: { type: "boolean", default: false },
  },
});

// An in-memory database of its own: never the app's DATA_DIR or DATABASE_URL.
process.env.DATA_DIR = "memory://";
delete process.env.DATABASE_URL;

const { closeDb, getDb } = await import("../db/client");
const { seedReferenceData } = await import("../db/seed");
const { evaluateAssignment, loadSheetForEval, readAssignFixture, readEmployeeSheet } = await import("../lib/routing/assign/evaluate");

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
try {
  const sheet = readEmployeeSheet(values.employees!);
  const tickets = readAssignFixture(values.tickets!);
  const db = await getDb();
  await seedReferenceData(db);
  await loadSheetForEval(db, sheet);
  const lexical = await evaluateAssignment(db, tickets, { semantic: false });
  const embeddings = await evaluateAssignment(db, tickets, { semantic: true });
  const llm = values.llm ? await evaluateAssignment(db, tickets, { semantic: true, llm: true }) : null;
  console.log(`${tickets.length} tickets, ${sheet.length} people (${sheet.filter((p) => p.active).length} active); hours and capacity ignored`);
  console.log(`mode                   top-1    top-3`);
  console.log(`lexical only           ${pct(lexical.top1).padStart(6)}   ${pct(lexical.top3).padStart(6)}`);
  console.log(`lexical + embeddings   ${pct(embeddings.top1).padStart(6)}   ${pct(embeddings.top3).padStart(6)}`);
  if (llm) console.log(`with the LLM           ${pct(llm.top1).padStart(6)}   ${pct(llm.top3).padStart(6)}`);
  if (values.misses) {
    for (const m of (llm ?? embeddings).misses) console.log(`miss: ${m.title} | expected ${m.expected.join(", ")} | ranked ${m.ranked.join(", ")}`);
  }
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  console.log(
    JSON.stringify({
      n: tickets.length,
      lexical: { top1: r4(lexical.top1), top3: r4(lexical.top3) },
      embeddings: { top1: r4(embeddings.top1), top3: r4(embeddings.top3) },
      ...(llm ? { llm: { top1: r4(llm.top1), top3: r4(llm.top3) } } : {}),
    }),
  );
  await closeDb();
} catch (e) {
  console.error(`eval:assign failed: ${(e as Error).message}`);
  process.exit(1);
}
