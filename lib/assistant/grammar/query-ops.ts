import type { AssistantOp } from "../ops";
import type { GrammarContext, ParseResult } from "../types";
import { parseChange } from "./change";
import { parseFilter, type ParsedFilter } from "./filter";
import { matchRefs } from "./reference";
import { findKeys } from "./text";

/*
 * Commands about many tickets: list, stats (count), bulk; and the admin command
 * create_category. Each parser returns null when the text is not its command.
 */

const op = (o: AssistantOp): ParseResult => ({ kind: "op", op: o });

const TICKET_NOUN = /\b(?:tickets?|incidents?|issues?|requests?|cases?|queue|p[1-4]s|mine)\b/i;
/** Verbs that change data: such a command is never read as a list. */
const WRITE_VERB = /^(?:close|resolve|solve|fix|assign|re-?assign|unassign|take|set|update|change|move|mark|put|reopen|delete|remove|escalate|note|reply|comment)\b/i;
const LIST_VERB = /^(?:show|list|find|get|display|give me|which|what are|any|see|search(?:\s+for)?|look\s+for|my)\b/i;

function unclear(pf: ParsedFilter): ParseResult | null {
  if (pf.clarify) return { kind: "clarify", ...pf.clarify };
  return pf.leftover.length ? { kind: "unknown", message: `I did not understand "${pf.leftover.join(" ")}".` } : null;
}

/** "show open high priority tickets", "my tickets waiting on the requester", "search printer jam", "top 5 … sorted by due". */
export function parseList(s: string, ctx: GrammarContext): ParseResult | null {
  const search = /^(?:search(?:\s+for)?|find|look\s+for)\s+/i.exec(s);
  if (!LIST_VERB.test(s) && !TICKET_NOUN.test(s) && !/\b(?:breached|at risk|unassigned|needing review)\b/i.test(s)) return null;
  if (!search && !TICKET_NOUN.test(s) && !/\b(?:breached|at risk|unassigned|overdue|review)\b/i.test(s)) return null;
  if (findKeys(s).length || WRITE_VERB.test(s)) return null;
  const body = s.replace(/^(?:show|list|find|get|display|give me|which|what are|any|see|search(?:\s+for)?|look\s+for)\s+(?:me\s+)?(?:all\s+)?/i, "");
  const pf = parseFilter(body, ctx, { searchLeftover: !!search || /\btickets?\b/i.test(s) });
  const bad = unclear(pf);
  if (bad) return bad;
  return op({ op: "list", filter: pf.filter, ...(pf.sort ? { sort: pf.sort } : {}), ...(pf.limit ? { limit: pf.limit } : {}) });
}

/** "how many P1s this week", "count open tickets", "breaches today", "how many SLA breaches this week". */
export function parseStats(s: string, ctx: GrammarContext): ParseResult | null {
  const count = /^(?:how many|count(?:\s+of)?|number of|total(?:\s+number\s+of)?|total)\s+(.*)$/i.exec(s);
  const breachesRe = /\b(?:sla\s+)?breaches\b|\bsla\s+breach\b/i;
  if (!count && !(breachesRe.test(s) && !TICKET_NOUN.test(s))) return null;
  const body = count ? count[1] : s.replace(/^(?:show|list|get|display|give me|see)\s+(?:me\s+)?(?:the\s+)?/i, "");
  if (breachesRe.test(body)) {
    const pf = parseFilter(body.replace(breachesRe, " ").replace(/\b(?:were there|are there|did we have|have we had|happened|occurred)\b/gi, " "), ctx, { noDefaultStatus: true });
    const bad = unclear(pf);
    if (bad) return bad;
    const { createdFrom, createdTo, ...filter } = pf.filter;
    return op({
      op: "stats",
      metric: "breaches",
      ...(Object.keys(filter).length ? { filter } : {}),
      ...(createdFrom ? { from: createdFrom } : {}),
      ...(createdTo ? { to: createdTo } : {}),
    });
  }
  const pf = parseFilter(body.replace(/\b(?:are there|do we have|do i have|have i got|were|there|exist)\b/gi, " "), ctx);
  const bad = unclear(pf);
  if (bad) return bad;
  return op({ op: "stats", metric: "tickets", filter: pf.filter });
}

/**
 * "close all my waiting tickets", "resolve all tickets waiting on the vendor", "assign all
 * unassigned hardware tickets to me", "set all P4 storage tickets to P3". The filter must narrow
 * something beyond the default statuses; the executor asks for confirmation before it runs.
 */
export function parseBulk(s: string, ctx: GrammarContext): ParseResult | null {
  const m = /^(close|resolve|solve|assign|re-?assign|unassign|take|set|mark|move|change|update|put|reopen)\s+(?:all|every|each)\b(?:\s+(?:of\s+)?(?:the\s+)?)?(.*)$/i.exec(s);
  if (!m) return null;
  const verb = m[1].toLowerCase().replace("-", "");
  let body = m[2];
  let actionText = "";
  let note = "";
  const noteSplit = /\s*(?:[,;:]|\s[-–—]\s)\s*/.exec(body);
  if (noteSplit) [body, note] = [body.slice(0, noteSplit.index), body.slice(noteSplit.index + noteSplit[0].length).trim()];
  if (/^(?:assign|reassign|set|mark|move|change|update|put)$/.test(verb)) {
    const to = /(?:^|\s+)(?:to|as|into)\s+(?!(?:me|the|a)\b\s*(?:tickets?)?$)(.+)$/i.exec(body) ?? /(?:^|\s+)(?:to|as)\s+(.+)$/i.exec(body);
    if (!to) return { kind: "clarify", message: `What should I ${verb} those tickets to? For example "set all P4 storage tickets to P3".` };
    [body, actionText] = [body.slice(0, to.index), to[1]];
  }
  const action: Record<string, unknown> = {};
  if (verb === "close") action.status = "closed";
  else if (verb === "resolve" || verb === "solve") action.status = "resolved";
  else if (verb === "reopen") action.status = "open";
  else if (verb === "unassign") action.assignee = "none";
  else if (verb === "take") action.assignee = "me";
  else if (verb === "assign" || verb === "reassign") {
    const who = actionText.trim();
    action.assignee = /^(?:me|myself)$/i.test(who) ? "me" : /^(?:nobody|no\s?one|none)$/i.test(who) ? "none" : who;
  } else {
    const r = parseChange(actionText, ctx, undefined, (v) => `${verb} all ${body.trim()} to ${v}`);
    if ("clarify" in r) return { kind: "clarify", ...r.clarify };
    if ("unknown" in r) return { kind: "unknown", message: r.unknown };
    if (r.change.category || r.change.team) return { kind: "unknown", message: "Bulk changes can set a status, priority or assignee, not a category or team." };
    Object.assign(action, r.change);
    if (action.waitingReason && !action.status) action.status = "waiting";
  }
  if (note) action.note = note;
  const pf = parseFilter(body, ctx, { unsolvedByDefault: true });
  const bad = unclear(pf);
  if (bad) return bad;
  const narrows = Object.keys(pf.filter).some((k) => k !== "status") || (pf.filter.status?.length ?? 4) < 4;
  if (!narrows)
    return { kind: "clarify", message: `Which tickets? Narrow it down, e.g. "${verb} all my waiting tickets" or "${verb} all P4 storage tickets …".` };
  return op({ op: "bulk", filter: pf.filter, action: action as never });
}

/** "create category Printers for team end-user-computing" (admins only; the executor checks). */
export function parseCreateCategory(s: string, ctx: GrammarContext): ParseResult | null {
  const m = /^(?:create|add|new|make)\s+(?:a\s+)?(?:new\s+)?category\s+(?:called\s+|named\s+)?(.+?)(?:\s+(?:for|in|under|owned by|routed to|to|with)\s+(?:the\s+)?(?:team\s+)?(.+?))?(?:\s+team)?$/i.exec(s);
  if (!m) return null;
  const name = m[1].replace(/^["']|["']$/g, "").trim();
  if (!m[2]) return { kind: "clarify", message: `Which team handles category ${name}?`, candidates: ctx.teams.map((t) => ({ label: t.name, command: `create category ${name} for team ${t.slug}` })) };
  const teams = matchRefs(m[2], ctx.teams);
  if (teams.length !== 1)
    return {
      kind: "clarify",
      message: teams.length ? `"${m[2]}" matches several teams. Which one?` : `There is no team "${m[2]}". Which team handles category ${name}?`,
      candidates: (teams.length ? teams : ctx.teams).map((t) => ({ label: t.name, command: `create category ${name} for team ${t.slug}` })),
    };
  return op({ op: "create_category", name, team: teams[0].slug });
}
