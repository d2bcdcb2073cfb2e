import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import type { Provenance } from "@/lib/assistant/types";
import { env } from "@/lib/env";
import type { ChatClient } from "@/lib/llm/client";
import { llmConfig, type LlmConfig } from "@/lib/llm/config";
import { estimateCostUsd } from "@/lib/llm/prices";
import { LlmError, type LlmUsage } from "@/lib/llm/structured";
import { logger } from "@/lib/observability/logger";
import { countLlmUsage } from "@/lib/observability/metrics";
import { assertStaff } from "@/lib/tickets/access";
import { getTicketDetail } from "@/lib/tickets/get-ticket";
import { configuredLlm } from "../llm/configured";
import { checkCitations, compareKeys, keysIn, removeSentencesCiting } from "./grounding";
import { llmSuggest, type SuggestAnswer, type SuggestContext } from "./llm";
import { requesterName, retrieveForTicket } from "./retrieve";
import { commands, mergeCommand, ruleActions } from "./rules";
import { missingDetail, templateReply } from "./templates";
import type { SuggestedAction, TicketSuggestions } from "./types";

export type { SimilarResolvedTicket, SuggestedAction, SuggestedActionKind, TicketSuggestions } from "./types";

const TEMPLATES: Omit<Provenance, "latencyMs"> = { provider: "templates", model: null, promptTokens: 0, completionTokens: 0, costUsd: 0 };

/**
 * Suggestions for an agent working ticket `key`: a reply to the requester, next actions, and
 * similar resolved tickets with their resolutions (lib/assistant/suggest/retrieve.ts).
 *
 * - No LLM (none configured, or `opts.client === null`): reply from templates
 *   (lib/assistant/suggest/templates.ts), actions from rules (./rules.ts); provenance `templates`.
 * - With an LLM (`opts.client`, else the one lib/llm/config.ts configures): one structured call
 *   grounded on the retrieved tickets and the ticket's thread (public replies and internal
 *   notes; every text redacted). Every key it cites (citations, reply text, actions) must be in
 *   that context, exist, and be visible to the agent; other keys go to `droppedCitations`, the
 *   reply sentences mentioning them are removed (the reply is null if nothing is left), and
 *   actions about them are dropped. Rule actions the LLM did not give are added after its own.
 *   Commands are always built here, never taken from the LLM.
 * - LLM failure (timeout, HTTP error, bad JSON…): the template answer, with `fallbackReason`
 *   `<provider>:<reason>` and the billed tokens in the provenance.
 * Never sends or changes anything.
 * @throws ApiError 403 unless the principal is an agent or admin; 404 when the ticket does not exist or is not visible.
 */
export async function suggestForTicket(
  db: DbOrTx,
  key: string,
  principal: Principal,
  opts: { client?: ChatClient | null; now?: Date } = {},
): Promise<TicketSuggestions> {
  const t0 = performance.now();
  assertStaff(principal, "see ticket suggestions");
  const detail = await getTicketDetail(db, key, principal);
  const ticket = detail.ticket;
  const [{ similar, duplicates }, name] = await Promise.all([retrieveForTicket(db, ticket, principal), requesterName(db, ticket.email)]);
  const ctx: SuggestContext = {
    ticket,
    requesterName: name,
    comments: detail.comments,
    similar,
    duplicates,
    agentName: principal.kind === "user" ? principal.label : null,
  };
  const rules = ruleActions(ticket, similar, duplicates);

  const templated = (extra: Partial<TicketSuggestions> = {}, usage: LlmUsage = { promptTokens: 0, completionTokens: 0 }, costUsd = 0): TicketSuggestions => {
    const fix = similar.find((s) => s.resolution);
    const text = templateReply({
      requesterName: name,
      ticketKey: ticket.key,
      title: ticket.title,
      agentName: ctx.agentName,
      fix: fix?.resolution ? { key: fix.key, resolution: fix.resolution } : null,
      question: missingDetail(ticket.category, ticket.title, ticket.description)?.question ?? null,
    });
    return {
      ticketKey: ticket.key,
      reply: { text, citations: fix ? [fix.key] : [] },
      actions: rules,
      similar,
      provenance: { ...TEMPLATES, ...usage, costUsd, latencyMs: Math.round(performance.now() - t0) },
      droppedCitations: [],
      fallbackReason: null,
      ...extra,
    };
  };

  let llm: { client: ChatClient; cfg: LlmConfig | null } | null = null;
  if (opts.client) {
    try {
      llm = { client: opts.client, cfg: llmConfig() };
    } catch {
      llm = { client: opts.client, cfg: null };
    }
  } else if (opts.client === undefined) {
    const c = configuredLlm();
    if (!c.client) return c.why ? templated({ fallbackReason: c.why }) : templated();
    llm = c;
  }
  if (!llm) return templated();

  const { client, cfg } = llm;
  const cost = (u: LlmUsage) => estimateCostUsd(client.model, u.promptTokens, u.completionTokens, cfg?.price ?? null);
  try {
    const r = await llmSuggest(client, ctx, cfg?.timeoutMs ?? env().LLM_TIMEOUT_MS);
    const usage = { promptTokens: r.promptTokens, completionTokens: r.completionTokens };
    countLlmUsage(client.provider, "ok", { ...usage, costUsd: cost(usage) });
    const grounded = await ground(db, principal, ctx, r.data, rules);
    return {
      ticketKey: ticket.key,
      ...grounded,
      similar,
      provenance: { provider: client.provider, model: r.model || client.model, ...usage, costUsd: cost(usage), latencyMs: Math.round(r.latencyMs) },
      fallbackReason: null,
    };
  } catch (err) {
    const e = err instanceof LlmError ? err : new LlmError("connection", String(err));
    countLlmUsage(client.provider, e.reason, { ...e.usage, costUsd: cost(e.usage) });
    logger.warn({ provider: client.provider, model: client.model, reason: e.reason }, "ticket suggestions: LLM answer not used, templates instead");
    return templated({ fallbackReason: `${client.provider}:${e.reason}` }, e.usage, cost(e.usage));
  }
}

/** Apply the grounding check (lib/assistant/suggest/grounding.ts) to the LLM's answer and build commands for its actions. */
async function ground(
  db: DbOrTx,
  principal: Principal,
  ctx: SuggestContext,
  answer: SuggestAnswer,
  rules: readonly SuggestedAction[],
): Promise<Pick<TicketSuggestions, "reply" | "actions" | "droppedCitations">> {
  const key = ctx.ticket.key;
  const context = new Set<string>([
    key,
    ...ctx.similar.map((s) => s.key),
    ...ctx.duplicates.map((d) => d.key),
    ...(ctx.ticket.followUpOf ? [ctx.ticket.followUpOf] : []),
    ...keysIn(`${ctx.ticket.title}\n${ctx.ticket.description}`),
    ...ctx.comments.flatMap((c) => keysIn(c.body)),
  ]);
  const cited = [
    ...answer.citations,
    ...keysIn(answer.reply),
    ...answer.actions.flatMap((a) => [...(a.ticketKey ? [a.ticketKey] : []), ...keysIn(`${a.label} ${a.detail}`)]),
  ];
  const { valid, dropped } = await checkCitations(db, principal, cited, context);
  const droppedSet = new Set(dropped);

  const text = removeSentencesCiting(answer.reply.trim(), droppedSet);
  const citations = [...new Set([...answer.citations.map((c) => c.trim().toUpperCase()), ...keysIn(text)])]
    .filter((k) => valid.has(k) && k !== key)
    .sort(compareKeys);

  const actions: SuggestedAction[] = [];
  for (const a of answer.actions) {
    const other = a.ticketKey?.trim().toUpperCase() || undefined;
    if ((other && !valid.has(other)) || keysIn(`${a.label} ${a.detail}`).some((k) => droppedSet.has(k))) continue;
    const action: SuggestedAction = { kind: a.kind, label: a.label.trim(), detail: a.detail.trim(), ...(other && other !== key ? { ticketKey: other } : {}) };
    const command = commandFor(action, ctx);
    actions.push(command ? { ...action, command } : action);
  }
  const seen = new Set(actions.map((a) => `${a.kind}:${a.ticketKey ?? ""}`));
  for (const r of rules) if (!seen.has(`${r.kind}:${r.ticketKey ?? ""}`)) actions.push(r);

  return { reply: text ? { text, citations } : null, actions, droppedCitations: dropped };
}

/** The assistant command for an LLM-suggested action, built from the retrieved data (null when none applies). */
function commandFor(a: SuggestedAction, ctx: SuggestContext): string | null {
  const key = ctx.ticket.key;
  switch (a.kind) {
    case "resolve_known_fix": {
      const fix = ctx.similar.find((s) => s.key === a.ticketKey)?.resolution;
      return fix ? commands.resolve(key, fix) : null;
    }
    case "merge_duplicate": {
      const d = ctx.duplicates.find((x) => x.key === a.ticketKey);
      return d ? mergeCommand(ctx.ticket, d).command : null;
    }
    case "ask_detail":
      return a.detail ? commands.reply(key, a.detail) : null;
    case "assign":
      return ctx.ticket.assignee ? null : commands.take(key);
    case "set_priority": {
      const p = /\bP[1-4]\b/.exec(`${a.label} ${a.detail}`)?.[0];
      return p && p !== ctx.ticket.priority ? commands.priority(key, p) : null;
    }
    case "escalate":
      return null;
  }
}
