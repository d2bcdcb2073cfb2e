import "server-only";
import type { DbOrTx } from "@/db/client";
import { installTimeZone } from "@/db/seed";
import { env } from "@/lib/env";
import type { ChatClient } from "@/lib/llm/client";
import { LlmError } from "@/lib/llm/structured";
import { getReferenceData } from "@/lib/reference/cache";
import { parseCommand } from "./grammar";
import { configuredLlm } from "./llm/configured";
import { interpretWithLlm, type ChatTurn } from "./llm/interpret-llm";
import type { GrammarContext, Interpretation, Provenance } from "./types";

/*
 * Which interpreter answers a command: the LLM (tool calling) when one is configured, else the
 * deterministic grammar; the grammar also answers when the LLM call fails.
 */

/**
 * What the grammar and the LLM know about the desk: the active categories and all teams (slug and
 * name, from the 30-second reference cache), "now", and the desk's time zone (SLA_TIME_ZONE,
 * else the server's, else UTC — the zone of the default business calendar, db/seed.ts).
 * @param opts.ticketKey the ticket the caller is looking at ("take it"); @param opts.now default the clock.
 */
export async function buildGrammarContext(db: DbOrTx, opts: { ticketKey?: string; now?: Date } = {}): Promise<GrammarContext> {
  const ref = await getReferenceData(db);
  return {
    now: opts.now ?? new Date(),
    timeZone: installTimeZone(),
    ...(opts.ticketKey ? { ticketKey: opts.ticketKey } : {}),
    categories: ref.categories.filter((c) => c.active).map((c) => ({ slug: c.slug, name: c.name })),
    teams: ref.teams.map((t) => ({ slug: t.slug, name: t.name })),
  };
}

function grammar(text: string, ctx: GrammarContext, fallbackReason?: string): Interpretation {
  const t0 = performance.now();
  const result = parseCommand(text, ctx);
  const provenance: Provenance = { provider: "grammar", model: null, promptTokens: 0, completionTokens: 0, costUsd: 0, latencyMs: performance.now() - t0 };
  return { result, provenance, ...(fallbackReason ? { fallbackReason } : {}) };
}

/**
 * Interpret a command. Without an LLM (none configured — lib/llm/config.ts — or TRIAGE_MODE=local,
 * which means "never call an LLM") the grammar answers (provenance provider "grammar", no
 * tokens). With one, the LLM answers through tool calling (lib/assistant/llm/interpret-llm.ts)
 * within LLM_TIMEOUT_MS; when the call fails (timeout, HTTP error after the SDK's retries,
 * connection) the grammar answers and `fallbackReason` is `<provider>:<reason>` (e.g.
 * `groq:timeout`). A malformed tool call is not a failure of the call: it is refused as the LLM
 * answered it (kind unknown, with its tokens and cost), never re-parsed by the grammar.
 * Writes nothing.
 * @param opts.history earlier turns of the conversation, oldest first (LLM only).
 * @param opts.client inject an LLM client (tests); `null` forces the grammar; default from the environment.
 */
export async function interpretCommand(
  db: DbOrTx,
  text: string,
  ctx: GrammarContext,
  opts: { history?: ChatTurn[]; client?: ChatClient | null } = {},
): Promise<Interpretation> {
  void db; // reserved for interpreters that need the database (the context carries the reference data)
  const llm = opts.client !== undefined ? (opts.client ? { client: opts.client, cfg: null } : { client: null }) : configuredLlm();
  if (!llm.client) return grammar(text, ctx, "why" in llm ? llm.why : undefined);
  const cfg = "cfg" in llm ? llm.cfg : null;
  try {
    return await interpretWithLlm(llm.client, text, { ...ctx, history: opts.history }, { timeoutMs: cfg?.timeoutMs ?? env().LLM_TIMEOUT_MS, price: cfg?.price ?? null });
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    return grammar(text, ctx, `${llm.client.provider}:${err.reason}`);
  }
}
