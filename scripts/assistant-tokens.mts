/**
 * npm run assistant:tokens [-- --tickets 45] [--update-docs]
 *
 * How many tokens the assistant's answers cost in the full form ({op, ok, data, message,
 * conversationId}) and in seed 004's compact form (`?compact=1`), measured over EVERY phrasing
 * of tests/assistant/phrasings.ts. On a fresh in-memory PGlite (never your database) seeded with
 * the reference data, the demo users and the first `--tickets` demo tickets (default 45, so
 * T-1…T-45 exist), each phrasing runs in order through runAssistant as the demo agent Sam Agent
 * (a session principal), with the grammar only (no LLM is called). Bulk commands are measured by
 * their confirmation answer (nothing is confirmed). Failures (404, 409, 422…) are measured as
 * answered. Each answer is serialised as the API sends it (JSON.stringify, no spaces) and counted
 * with js-tiktoken's o200k_base encoding (GPT-4o's).
 *
 * Prints a markdown report (totals, mean per command, per-op table, saving %); `--update-docs`
 * also writes it into docs/ASSISTANT.md between the `tokens:start`/`tokens:end` markers.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Tiktoken } from "js-tiktoken/lite";
import o200k_base from "js-tiktoken/ranks/o200k_base";

const { values } = parseArgs({ options: { tickets: { type: "string", default: "45" }, "update-docs": { type: "boolean" } } });
const ticketLimit = Number(values.tickets);
if (!Number.isInteger(ticketLimit) || ticketLimit < 1) {
  console.error("assistant-tokens: --tickets must be a whole number ≥ 1");
  process.exit(2);
}

// A private in-memory database, whatever the environment points at; quiet logs; no LLM.
process.env.DATA_DIR = "memory://";
delete process.env.DATABASE_URL;
process.env.LOG_LEVEL = "warn";
process.env.TRIAGE_MODE = "local";

const { closeDb, getDb } = await import("@/db/client");
const { eq } = await import("drizzle-orm");
const { users } = await import("@/db/schema");
const { seedDemo } = await import("@/lib/demo/seed");
const { runAssistant } = await import("@/lib/assistant/service");
const { toCompact } = await import("@/lib/assistant/compact");
const { PHRASINGS } = await import("../tests/assistant/phrasings");

const enc = new Tiktoken(o200k_base);
const tokens = (v: unknown) => enc.encode(JSON.stringify(v)).length;

interface Row {
  text: string;
  op: string;
  status: number;
  full: number;
  compact: number;
  compactNoC: number;
}

const db = await getDb();
try {
  const t0 = Date.now();
  await seedDemo(db, { ticketLimit, employees: false });
  const [u] = await db.select().from(users).where(eq(users.email, "agent@example.com"));
  const agent = { kind: "user" as const, id: u.id, role: u.role, userId: u.id, email: u.email, label: u.name };
  console.error(`seeded ${ticketLimit} demo tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s; running ${PHRASINGS.length} phrasings…`);

  const rows: Row[] = [];
  for (const p of PHRASINGS) {
    const r = await runAssistant(db, { text: p.text, ...(p.ticketKey ? { ticketKey: p.ticketKey } : {}) }, agent, { client: null });
    const compact = toCompact(r.body);
    const { c: _c, ...noC } = compact;
    rows.push({ text: p.text, op: r.body.op, status: r.status, full: tokens(r.body), compact: tokens(compact), compactNoC: tokens(noC) });
  }
  const report = formatReport(rows, ticketLimit);
  // Written before closing: something on the way out may end the process before a piped console.log drains.
  await new Promise<void>((resolve) => process.stdout.write(`${report}\n`, () => resolve()));
  if (values["update-docs"]) updateDocs(report);
} finally {
  await closeDb();
}

function pct(saved: number, of: number): string {
  return of ? `${((saved / of) * 100).toFixed(1)} %` : "–";
}

function formatReport(rows: Row[], tickets: number): string {
  const sum = (xs: Row[], k: "full" | "compact" | "compactNoC") => xs.reduce((a, r) => a + r[k], 0);
  const full = sum(rows, "full");
  const compact = sum(rows, "compact");
  const noC = sum(rows, "compactNoC");
  const n = rows.length;
  const failed = rows.filter((r) => r.status >= 400).length;
  const byStatus = new Map<number, number>();
  for (const r of rows) if (r.status >= 400) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([st, k]) => `${st} ×${k}`).join(", ");
  const byOp = new Map<string, Row[]>();
  for (const r of rows) byOp.set(r.op, [...(byOp.get(r.op) ?? []), r]);
  const lines = [
    `Measured by \`npm run assistant:tokens\` over all ${n} phrasings of tests/assistant/phrasings.ts (${n - failed} answered 200, ${failed} with an error status${failed ? `: ${statuses}` : ""}), run in order as an agent on ${tickets} demo tickets with the grammar; tokens: o200k_base (js-tiktoken).`,
    "",
    "| | full JSON | compact | compact without `c` |",
    "| --- | ---: | ---: | ---: |",
    `| tokens, all answers | ${full.toLocaleString("en")} | ${compact.toLocaleString("en")} | ${noC.toLocaleString("en")} |`,
    `| mean per command | ${(full / n).toFixed(1)} | ${(compact / n).toFixed(1)} | ${(noC / n).toFixed(1)} |`,
    `| saving vs full | | **${pct(full - compact, full)}** | ${pct(full - noC, full)} |`,
    "",
    "| op | answers | full, mean | compact, mean | saving |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...[...byOp.entries()]
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .map(([op, rs]) => `| ${op} | ${rs.length} | ${(sum(rs, "full") / rs.length).toFixed(1)} | ${(sum(rs, "compact") / rs.length).toFixed(1)} | ${pct(sum(rs, "full") - sum(rs, "compact"), sum(rs, "full"))} |`),
  ];
  return lines.join("\n");
}

function updateDocs(report: string): void {
  const file = path.join(process.cwd(), "docs", "ASSISTANT.md");
  const doc = fs.readFileSync(file, "utf8");
  const start = "<!-- tokens:start -->";
  const end = "<!-- tokens:end -->";
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/ASSISTANT.md has no ${start} … ${end} markers`);
  fs.writeFileSync(file, `${doc.slice(0, i + start.length)}\n${report}\n${doc.slice(j)}`);
  console.error("docs/ASSISTANT.md updated");
}
