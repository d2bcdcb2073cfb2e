import type { Priority } from "@/db/schema/enums";
import type { AssistantOp } from "../ops";
import type { GrammarContext, ParseResult } from "../types";
import { parseChange } from "./change";
import { correctTypos } from "./fuzzy";
import { Phrase } from "./phrase";
import { categoriesOrTeams } from "./reference";
import { EMAIL_SOURCE, readSubject, stripLeadSeparator, type Subject } from "./text";
import { takePriorities } from "./vocabulary";

/*
 * Commands about one ticket: create, update, assign, comment, resolve/close, show. Each parser
 * returns null when the text is not its command, so index.ts can try the next one.
 */

const op = (o: AssistantOp): ParseResult => ({ kind: "op", op: o });
const clarify = (message: string, candidates?: { label: string; command: string }[]): ParseResult => ({ kind: "clarify", message, ...(candidates ? { candidates } : {}) });

/** A clarify answer for a subject that is not exactly one ticket. */
function ask(sub: Subject | null, verb: string, rest = ""): ParseResult {
  const r = keyOrAsk(sub, verb, rest);
  return isKey(r) ? clarify(`Which ticket should I ${verb}?`) : r;
}

/** Resolves a subject to a key, or a clarify answer ("which ticket?", "one ticket at a time"). */
function keyOrAsk(sub: Subject | null, verb: string, rest = ""): { key: string } | ParseResult {
  const tail = rest ? `${/^[,:;]/.test(rest) ? "" : " "}${rest}` : "";
  if (!sub || "missingContext" in sub) return clarify(`Which ticket should I ${verb}? Name it, e.g. "${verb} T-12${tail}".`);
  if ("keys" in sub) return clarify(`I ${verb} one ticket at a time (or say "all …" for a bulk change). Which one?`, sub.keys.map((k) => ({ label: k, command: `${verb} ${k}${tail}` })));
  return { key: sub.key };
}
const isKey = (r: { key: string } | ParseResult): r is { key: string } => "key" in r;

/** "create ticket for API timeouts in production, high priority", "new P1 ticket: mail server down", "open a ticket about … for jo@example.com". */
export function parseCreate(s: string, ctx: GrammarContext): ParseResult | null {
  const m = /^(?:create|open|new|raise|file|log|submit|add|make|start)\s+(?:a\s+|an\s+)?(?:new\s+)?(.{0,30}?)\s*\b(?:ticket|incident|request|issue|case)\b(?!s)\s*(.*)$/i.exec(s);
  if (!m) return null;
  let priority: Priority | undefined;
  if (m[1].trim()) {
    const pre = new Phrase(correctTypos(m[1]));
    const pr = takePriorities(pre, true);
    if (pr.length !== 1 || pre.text.trim()) return null;
    priority = pr[0];
  }
  let rest = m[2].replace(/^(?:[:\-–—]\s*|(?:for|about|regarding|re:?|on|saying|that says|titled|called)\s+)/i, "").trim();
  if (!rest) return clarify('What is the ticket about? For example "create ticket for printer on floor 2 jammed".');
  if (/^T-?\d+$/i.test(rest)) return null;
  let requester: string | undefined;
  const email = new RegExp(String.raw`(?:,\s*|\s+)(?:for|on behalf of|requested by|from|requester:?)\s+(${EMAIL_SOURCE})`, "i").exec(rest);
  if (email) {
    requester = email[1];
    rest = (rest.slice(0, email.index) + rest.slice(email.index + email[0].length)).trim();
  }
  let category: string | undefined;
  let team: string | undefined;
  const titleParts: string[] = [];
  const segments = rest.split(/\s*[,;]\s*|\s+[-–—]\s+(?=\S+(?:\s+\S+)?$)/);
  for (const [i, seg] of segments.entries()) {
    if (i === 0) {
      titleParts.push(seg);
      continue;
    }
    const pp = new Phrase(correctTypos(seg));
    const pr = takePriorities(pp, true);
    if (pr.length === 1 && !pp.text.trim() && !priority) {
      priority = pr[0];
      continue;
    }
    const ref = /^(?:(team|category)\s*:?\s+|in\s+)?(.+)$/i.exec(seg.trim())!;
    const kind = ref[1]?.toLowerCase();
    const found = categoriesOrTeams(ref[2], kind === "team" ? [] : ctx.categories, kind === "category" ? [] : ctx.teams);
    const [cats, teams] = [found.cats, found.teams];
    if (cats.length === 1 && !teams.length && !category) category = cats[0].slug;
    else if (teams.length === 1 && !cats.length && !team) team = teams[0].slug;
    else titleParts.push(seg);
  }
  let title = titleParts.join(", ").trim();
  // A trailing "(P1)", "- high priority" or "high priority" on the title.
  const trail = /\s*[([]?\s*(?:[-–—]\s*)?((?:priority|prio|pri)\s*:?\s*\w+|\w+[- ](?:priority|prio)|p[1-4]|sev\s?[1-4])\s*[)\]]?$/i.exec(title);
  if (trail && !priority) {
    const pr = takePriorities(new Phrase(correctTypos(trail[1])), true);
    if (pr.length === 1) {
      priority = pr[0];
      title = title.slice(0, trail.index).trim();
    }
  }
  return op({ op: "create", title, ...(priority ? { priority } : {}), ...(category ? { category } : {}), ...(team ? { team } : {}), ...(requester ? { requester } : {}) });
}

/** "assign T-12 to maria", "take T-12"/"take it"/"assign to me", "unassign T-12". */
export function parseAssign(s: string, ctx: GrammarContext): ParseResult | null {
  let m = /^(?:un-?assign|deassign|release)\b\s*(.*)$/i.exec(s);
  if (m) {
    const sub = readSubject(m[1], ctx.ticketKey) ?? (m[1].trim() ? null : readSubject("it", ctx.ticketKey));
    if (!sub && m[1].trim()) return null;
    const k = keyOrAsk(sub, "unassign");
    return isKey(k) ? op({ op: "assign", key: k.key, assignee: "none" }) : k;
  }
  m = /^(?:take|grab|claim|pick up|i'?ll take|i will take|self-?assign|assign (?:it |this )?to (?:me|myself)|assign me(?: to)?)\b\s*(.*)$/i.exec(s);
  if (m) {
    const sub = m[1].trim() ? readSubject(m[1], ctx.ticketKey) : readSubject("it", ctx.ticketKey);
    if (!sub || (sub && "rest" in sub && sub.rest)) return sub && "keys" in sub ? ask(sub, "take") : null;
    const k = keyOrAsk(sub, "take");
    return isKey(k) ? op({ op: "assign", key: k.key, assignee: "me" }) : k;
  }
  m = /^(?:re-?assign|assign|give|hand(?:\s+over)?)\s+(.*)$/i.exec(s);
  if (!m) return null;
  let sub = readSubject(m[1], ctx.ticketKey);
  let who: string;
  if (sub) who = sub.rest.replace(/^to\s+/i, "").trim();
  else {
    const to = /^(?:to\s+)?(.+?)\s+to\s+(.+)$/i.exec(m[1]);
    const toTicket = to ? readSubject(to[2], ctx.ticketKey) : null;
    if (toTicket && !toTicket.rest) [sub, who] = [toTicket, to![1]];
    else if (/^to\s+/i.test(m[1])) [sub, who] = [readSubject("it", ctx.ticketKey), m[1].replace(/^to\s+/i, "")];
    else return null;
  }
  who = who.replace(/^(?:the\s+)?(?:agent|user)\s+/i, "").replace(/[.,;]+$/, "").trim();
  const k = keyOrAsk(sub, "assign", who ? `to ${who}` : "");
  if (!isKey(k)) return k;
  if (!who) return clarify(`Assign ${k.key} to whom?`, [{ label: "Me", command: `assign ${k.key} to me` }]);
  const assignee = /^(?:me|myself|i)$/i.test(who) ? "me" : /^(?:nobody|no\s?one|none|noone|unassigned)$/i.test(who) ? "none" : who;
  return op({ op: "assign", key: k.key, assignee });
}

/**
 * "note on T-12: …"/"internal note T-12 …" (internal), "reply to T-12: …"/"comment on T-12: …"/
 * "tell the requester of T-12 that …" (public). "public note" is public; "internal/private comment" internal.
 */
export function parseComment(s: string, ctx: GrammarContext): ParseResult | null {
  let internal: boolean;
  let after: string;
  let m = /^(?:(?:add|post|write|leave|send)\s+(?:an?\s+)?)?(internal|private|public)?\s*(note|comment|reply|response|answer|message|update)\b\s*(?:(?:to|on|for|in)\s+)?(.*)$/i.exec(s);
  if (m && !(m[2].toLowerCase() === "update" && !m[1])) {
    const word = m[2].toLowerCase();
    internal = m[1] ? !/public/i.test(m[1]) : word === "note";
    after = m[3];
  } else if ((m = /^(?:reply|respond|answer|write back|email|e-mail)\s+(?:to\s+)?(.*)$/i.exec(s))) {
    internal = false;
    after = m[1];
  } else if ((m = /^tell\s+(?:the\s+)?(?:requester|customer|user|caller|reporter)\b(?:\s+(?:of|on|for|in)\s+)?(.*)$/i.exec(s))) {
    internal = false;
    after = m[1];
  } else return null;
  const sub = readSubject(after, ctx.ticketKey);
  const body = stripLeadSeparator((sub ? sub.rest : after).replace(/^that\s+/i, ""));
  const k = keyOrAsk(sub ?? readSubject("it", ctx.ticketKey), internal ? "note on" : "reply to", body ? `: ${body}` : "");
  if (!isKey(k)) return k;
  if (!body) return clarify(`What should the ${internal ? "note" : "reply"} on ${k.key} say? For example "${internal ? "note on" : "reply to"} ${k.key}: …".`);
  return op({ op: "comment", key: k.key, body, internal });
}

/** "close T-7, replaced the switch", "resolve T-7 with reset the password", "close it". */
export function parseResolve(s: string, ctx: GrammarContext): ParseResult | null {
  const m = /^(close|resolve|solve|fix)\b\s*(.*)$/i.exec(s);
  if (!m) return null;
  const sub = readSubject(m[2], ctx.ticketKey);
  if (!sub && /\b(?:tickets?|incidents?|requests?|issues?|cases?)\b/i.test(m[2]) && !/\b(?:all|every|each)\b/i.test(m[2]))
    return clarify(`Which ticket should I ${m[1].toLowerCase()}? Name it by its key, e.g. "${m[1].toLowerCase()} T-12", or say "${m[1].toLowerCase()} all …" for several.`);
  if (!sub && m[2].trim()) return null;
  const status = /^close$/i.test(m[1]) ? "closed" : "resolved";
  const resolution = sub ? stripLeadSeparator(sub.rest) : "";
  const k = keyOrAsk(sub, m[1].toLowerCase(), resolution ? `, ${resolution}` : "");
  if (!isKey(k)) return k;
  return op({ op: "resolve", key: k.key, status, ...(resolution ? { resolution } : {}) });
}

/**
 * "update T-12 to in progress, investigating …", "set T-3 priority to low", "set the priority of
 * T-3 to low", "T-5 to waiting on vendor", "mark T-9 as waiting for the requester", "move T-4 to
 * team identity access", "change category of T-8 to storage", "reopen T-4". A change to
 * resolved/closed alone becomes a resolve operation ("mark T-7 as done").
 */
export function parseUpdate(s: string, ctx: GrammarContext): ParseResult | null {
  let field: string | undefined;
  let sub: Subject | null = null;
  let verb = "update";
  let m = /^(update|set|change|make|mark|move|put|switch|reopen|re-open|escalate|bump)\s+(?:the\s+)?(priority|status|category|team|state)\s+(?:of|for|on)\s+(.*)$/i.exec(s);
  if (m) {
    [verb, field] = [m[1].toLowerCase(), m[2].toLowerCase()];
    sub = readSubject(m[3], ctx.ticketKey);
  } else if ((m = /^(update|set|change|make|mark|move|put|switch|reopen|re-open)\s+(.*)$/i.exec(s))) {
    verb = m[1].toLowerCase();
    sub = readSubject(m[2], ctx.ticketKey);
  } else {
    sub = readSubject(s, ctx.ticketKey);
    if (!sub || !("key" in sub) || !sub.rest) return null;
  }
  if (!sub) return null;
  if ("keys" in sub || "missingContext" in sub) return ask(sub, verb, sub.rest);
  let rest = sub.rest.replace(/^'s\s+/i, "");
  const f = /^(priority|status|category|team|state)\b\s*:?\s*/i.exec(rest);
  if (f && !field) {
    field = f[1].toLowerCase();
    rest = rest.slice(f[0].length);
  }
  if (field === "state") field = "status";
  const split = /\s*(?:[,;]|:(?!\s*$)|\s[-–—]\s)\s*/.exec(rest);
  let spec = split ? rest.slice(0, split.index) : rest;
  const note = split ? rest.slice(split.index + split[0].length).trim() : "";
  if (/^re-?open$/.test(verb)) spec = `open ${spec}`;
  spec = spec.replace(/^\s*(?:to|as|into|is|->|=)\s+/i, "");
  const key = sub.key;
  if (!spec.trim()) {
    if (note && verb === "update") return op({ op: "update", key, note });
    return { kind: "clarify", message: `What should change on ${key}? For example "set ${key} to in progress" or "set ${key} priority to high".` };
  }
  const r = parseChange(spec, ctx, field, (value) => `${verb === "move" ? "move" : "set"} ${key} to ${value}${note ? `, ${note}` : ""}`);
  if ("clarify" in r) return { kind: "clarify", ...r.clarify };
  if ("unknown" in r) return verb === "update" || verb === "set" || verb === "change" || !/^T-/.test(s) ? { kind: "clarify", message: `${r.unknown} (${key})` } : null;
  const c = r.change;
  if ((c.status === "resolved" || c.status === "closed") && !c.priority && !c.category && !c.team && !c.waitingReason)
    return op({ op: "resolve", key, status: c.status, ...(note ? { resolution: note } : {}) });
  if (c.waitingReason && !c.status) c.status = "waiting";
  return op({ op: "update", key, ...c, ...(note ? { note } : {}) });
}

/** "show T-12", "what's T-12", "T-12", "details of T-12", "open T-12". */
export function parseShow(s: string, ctx: GrammarContext): ParseResult | null {
  const m = /^(?:(?:show|view|display|open|get|find|look\s?up|what'?s|whats|what is|details\s+(?:of|for|on)|status\s+of|info\s+(?:on|about)|tell me about)\s+(?:me\s+)?)?(.*)$/i.exec(s)!;
  const hasVerb = m[1] !== s;
  const sub = readSubject(m[1], ctx.ticketKey);
  if (!sub || sub.rest) return null;
  if (!hasVerb && !("key" in sub || "keys" in sub)) return null;
  const k = keyOrAsk(sub, "show");
  return isKey(k) ? op({ op: "show", key: k.key }) : k;
}
