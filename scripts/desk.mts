/**
 * The desk from a terminal: one assistant command per call, over the HTTP API (no database).
 *
 *   npm run desk -- "take T-12"
 *   npm run desk -- "show open P1 tickets" [--compact | --json] [--ticket T-12] [--conversation UUID] [--yes]
 *
 * Needs SWITCHBOARD_URL (e.g. http://localhost:3000) and SWITCHBOARD_API_KEY (an API key from
 * `npm run apikey:create`). POSTs {text} to ${SWITCHBOARD_URL}/api/assistant with
 * `Authorization: Bearer ${SWITCHBOARD_API_KEY}` and prints the answer's message and its tickets
 * as a table (key, status, priority, title, link); `--compact` prints the compact JSON
 * (`?compact=1`), `--json` the full JSON. A bulk change answers with what it would touch: on a
 * terminal it asks "Go ahead? [y/N]" (or `--yes` confirms without asking) and then sends
 * {confirm: token}. Exit codes: 0 done (or not confirmed), 1 the server refused or failed (its
 * message on stderr), 2 usage (missing env or command).
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";

const USAGE = `usage: SWITCHBOARD_URL=http://localhost:3000 SWITCHBOARD_API_KEY=sk_… npm run desk -- "<command>" [--compact|--json] [--yes] [--ticket T-12] [--conversation ID]
  e.g. npm run desk -- "take T-12"
       npm run desk -- "show open high priority tickets"
       npm run desk -- "close all my waiting tickets" --yes`;

interface Row {
  key: string;
  status: string;
  priority: string;
  title: string;
  href?: string;
}

type Json = Record<string, unknown>;

function usage(problem: string): never {
  console.error(`desk: ${problem}\n${USAGE}`);
  process.exit(2);
}

const OPTIONS = {
  compact: { type: "boolean" },
  json: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  ticket: { type: "string" },
  conversation: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseCli() {
  try {
    return parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
}
const { values, positionals } = parseCli();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const baseUrl = process.env.SWITCHBOARD_URL?.trim().replace(/\/+$/, "");
const apiKey = process.env.SWITCHBOARD_API_KEY?.trim();
if (!baseUrl || !apiKey) usage("set SWITCHBOARD_URL and SWITCHBOARD_API_KEY");
if (values.compact && values.json) usage("use --compact or --json, not both");
const text = positionals.join(" ").trim();
if (!text) usage("say what to do");

const endpoint = `${baseUrl}/api/assistant${values.compact ? "?compact=1" : ""}`;

/** POST a request body; returns the status and parsed JSON body (exits 1 when unreachable). */
async function post(body: Json): Promise<{ status: number; body: Json }> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (err) {
    console.error(`desk: cannot reach ${baseUrl}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    process.exit(1);
  }
  const raw = await res.text();
  try {
    return { status: res.status, body: JSON.parse(raw) as Json };
  } catch {
    return { status: res.status, body: { message: raw.slice(0, 500) || res.statusText } };
  }
}

/** The answer's message: full form `message`, compact `m`, error body `error.message`. */
function messageOf(b: Json): string {
  const err = b.error as Json | undefined;
  return String(b.message ?? b.m ?? err?.message ?? "");
}

function ticketRow(t: Json): Row {
  return {
    key: String(t.key),
    status: String(t.status),
    priority: String(t.priority),
    title: String(t.title),
    href: typeof t.href === "string" ? `${baseUrl}${t.href}` : undefined,
  };
}

/** Ticket rows of a full answer's data (ticket, tickets, confirm), bulk results, or none. */
function rowsOf(data: Json | null | undefined): Row[] {
  if (!data) return [];
  if (data.kind === "ticket") return [ticketRow(data.ticket as Json)];
  if (data.kind === "tickets" || data.kind === "confirm") return (data.tickets as Json[]).map(ticketRow);
  if (data.kind === "bulk") {
    return (data.results as Json[]).map((r) => ({ key: String(r.key), status: r.ok ? "done" : "failed", priority: "", title: r.ok ? "" : String(r.error ?? "") }));
  }
  return [];
}

/** A plain text table: columns padded to the widest cell, titles cut at 60 characters. */
function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.key, r.status, r.priority, r.title.length > 60 ? `${r.title.slice(0, 59)}…` : r.title, r.href ?? ""]);
  const head = ["KEY", "STATUS", "PRIORITY", "TITLE", "LINK"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [head, ...cells].map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join("  ").trimEnd()).join("\n");
}

function print(b: Json): void {
  if (values.json || values.compact) {
    console.log(JSON.stringify(b, null, values.json ? 2 : undefined));
    return;
  }
  const msg = messageOf(b);
  if (msg) console.log(msg);
  const data = b.data as Json | null | undefined;
  const rows = rowsOf(data);
  if (rows.length) console.log(table(rows));
  const list = data?.kind === "help" ? (data.examples as string[]) : data?.kind === "candidates" ? (data.candidates as Json[]).map((c) => `${c.label}: ${c.command}`) : [];
  for (const line of list) console.log(`  ${line}`);
}

/** The confirmation token when the answer asks to confirm a bulk change. */
function confirmToken(b: Json): string | null {
  if (values.compact) return b.s === "cf" && typeof b.tok === "string" ? b.tok : null;
  const data = b.data as Json | null | undefined;
  return data?.kind === "confirm" && typeof data.token === "string" ? data.token : null;
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function finish(r: { status: number; body: Json }): void {
  if (r.status >= 400) {
    if (values.json || values.compact) print(r.body);
    console.error(`desk: ${messageOf(r.body) || `HTTP ${r.status}`} (HTTP ${r.status})`);
    process.exit(1);
  }
  print(r.body);
}

const first = await post({
  text,
  ...(values.ticket ? { ticketKey: values.ticket } : {}),
  ...(values.conversation ? { conversationId: values.conversation } : {}),
});
finish(first);
const token = confirmToken(first.body);
if (token) {
  const go = values.yes || (process.stdin.isTTY && (await ask("Go ahead? [y/N] ")));
  if (!go) {
    console.error(process.stdin.isTTY ? "desk: not run" : "desk: not run (pass --yes to confirm without a terminal)");
    process.exit(0);
  }
  const conversationId = typeof first.body.conversationId === "string" ? first.body.conversationId : typeof first.body.c === "string" ? first.body.c : undefined;
  finish(await post({ confirm: token, ...(conversationId ? { conversationId } : {}) }));
}
