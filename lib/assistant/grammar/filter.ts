import type { TicketFilter } from "../ops";
import type { Candidate, GrammarContext } from "../types";
import { takeDateRange, type DateRange } from "./dates";
import { correctTypos } from "./fuzzy";
import { Phrase } from "./phrase";
import { exactRefs, matchRefs, refWords, type Ref } from "./reference";
import { EMAIL_SOURCE, normalizeName } from "./text";
import { takePriorities, takeSla, takeStatuses, UNSOLVED } from "./vocabulary";

/*
 * Ticket filters of list, count and bulk commands ("open high priority hardware tickets
 * assigned to me created this week").
 *
 * - Assignee: "my tickets", "mine", "assigned to me", "my own tickets" → "me" (for an agent
 *   "my tickets" are the ones assigned to them); "unassigned", "not assigned", "assigned to
 *   nobody" → "none"; "assigned to maria" / "assigned to Maria Lopez" / "assigned to m@corp.test"
 *   → the name as typed (the executor resolves it).
 * - Requester: "my requests", "tickets I filed/opened/raised/created/submitted" → "me";
 *   "from|requested by|raised by|opened by <e-mail>" → that e-mail (names need an e-mail).
 * - Category/team: a category or team name or slug ("hardware tickets", "team identity access",
 *   "category storage"); a word naming both a category and a team → clarify.
 * - Status, priority, SLA: see vocabulary.ts; "needs review"/"needing review"/"unreviewed" → needsReview.
 * - Dates: see dates.ts ("created yesterday", "this week", "since monday"). Dates are always
 *   creation dates: "closed tickets this week" = closed tickets created this week.
 * - "for <word>" that no rule understood ("tickets for maria") → clarify: assigned to, or mentioning?
 * - Search: "about|mentioning|regarding|matching|containing X" → q; after "search"/"find", words
 *   that are no filter become q too.
 * - Default status: when no status is named, the filter gets the unsolved statuses (new, open,
 *   in_progress, waiting), except when the command names a creation date, a requester or
 *   search words (then all statuses), or says "any status"/"all statuses"/"including closed".
 *   Bulk changes always default to the unsolved statuses ("close all tickets from a@b.c" leaves
 *   the already closed ones alone).
 */

export interface ParsedFilter {
  filter: TicketFilter;
  dates: DateRange | null;
  sort?: "created" | "due";
  limit?: number;
  /** Words no rule understood. */
  leftover: string[];
  /** Set when the phrase is ambiguous or invalid: the command must not run. */
  clarify?: { message: string; candidates?: Candidate[] };
}

/** Words that carry no filter meaning in a list, count or bulk command. */
export const FILLER = new Set(
  ("show list find get display give me all the a an any tickets ticket incidents incident issues issue items requests cases queue of with " +
    "that are is which what in on for and or to please there currently right now still category team by have has been were was " +
    "created opened raised filed logged submitted reported those these ones one whose where every status priority s me? us see " +
    "lookup look up can you i do we our from it them their").split(" "),
);

export interface FilterOptions {
  /** "search"/"find" commands: words no rule understood become the search text. */
  searchLeftover?: boolean;
  /** Skip the default unsolved statuses (breaches). */
  noDefaultStatus?: boolean;
  /** Default to the unsolved statuses even with dates, a requester or search words (bulk changes). */
  unsolvedByDefault?: boolean;
}

/** Parses the filter words of `text` (see the module comment). */
export function parseFilter(text: string, ctx: GrammarContext, opts: FilterOptions = {}): ParsedFilter {
  const filter: TicketFilter = {};
  const p = new Phrase(` ${text} `);
  let q: string | undefined;

  const about = p.take(/\b(?:about|mentioning|regarding|matching|containing|that mention|which mention|with the words?|re:)\s+(.+)$/i);
  const quoted = about ? null : p.take(/"([^"]+)"/);
  if (quoted) q = quoted[1].trim();

  // E-mail addresses and names come first: they may contain words the other rules know.
  let m: RegExpExecArray | null;
  if ((m = p.take(new RegExp(String.raw`\bassigned\s+to\s+(${EMAIL_SOURCE})`, "i")))) filter.assignee = m[1];
  if ((m = p.take(new RegExp(String.raw`\b(?:from|requested by|raised by|opened by|filed by|reported by|submitted by|requester:?|for requester)\s+(${EMAIL_SOURCE})`, "i"))))
    filter.requester = m[1].toLowerCase();
  if (p.take(/\b(?:my\s+(?:own\s+)?requests|(?:that\s+|which\s+)?i\s+(?:have\s+)?(?:filed|opened|raised|created|submitted|logged|reported)|(?:requested|raised|opened|filed|reported|submitted)\s+by\s+me)\b/i))
    filter.requester = "me";
  if (p.take(/\b(?:unassigned|not\s+assigned|no\s+assignee|without\s+(?:an?\s+)?assignee|assigned\s+to\s+(?:nobody|no\s?one|none))\b/i)) filter.assignee = "none";
  if (p.take(/\b(?:assigned\s+to\s+(?:me|myself)|my\s+(?:own\s+)?(?:tickets?|queue|work)?|mine)\b/i)) filter.assignee = "me";
  if ((m = p.take(/\bassigned\s+to\s+([\p{L}][\p{L}.'-]*(?:\s+[\p{L}][\p{L}.'-]*){0,2})/iu))) {
    const words = m[1].split(/\s+/);
    const stop = words.findIndex((w) => NAME_STOP.has(w.toLowerCase()));
    const name = (stop < 0 ? words : words.slice(0, stop)).join(" ");
    if (stop >= 0) p.text = `${words.slice(stop).join(" ")} ${p.text}`;
    if (name) filter.assignee = name;
  }
  if (p.take(/\b(?:any|all)\s+status(?:es)?\b|\bincluding\s+(?:closed|solved|resolved)(?:\s+(?:ones|tickets))?\b|\bwhatever\s+status\b/i)) opts = { ...opts, noDefaultStatus: true };

  const dates = takeDateRange(p, ctx.now, ctx.timeZone);
  if (dates && "error" in dates) return { filter, dates: null, leftover: [], clarify: { message: dates.error } };
  const sortM = p.take(/\b(?:sort(?:ed)?|order(?:ed)?)\s+by\s+(due(?:\s+date)?|deadline|sla|created|creation(?:\s+date)?|date|newest|age)\b|\bby\s+due\s+date\b|\b(newest|latest|most recent)\s+first\b|\b(due soonest|soonest due)\b/i);
  const sort = sortM ? (/due|deadline|sla|soonest/i.test(sortM[0]) ? "due" : "created") : undefined;
  const limitM = p.take(/\b(?:top|first|latest|last|newest|limit(?:\s+to)?)\s+(\d{1,3})\b/i) ?? p.take(/\b(\d{1,3})\s+(?=(?:\w+\s+){0,3}tickets?\b)/i);
  const limit = limitM ? Math.max(1, Math.min(50, +limitM[1])) : undefined;

  // Structural words: dashes between letters become spaces; misspelt vocabulary is corrected.
  p.text = correctTypos(p.text.replace(/(?<=\p{L})[-_](?=\p{L})/gu, " "), refWords([...ctx.categories, ...ctx.teams]));
  if (p.take(/\b(?:needs?|needing|awaiting|pending|to|for|in)\s+(?:a\s+)?review\b|\bunreviewed\b|\breview\s+queue\b/i)) filter.needsReview = true;
  const sla = takeSla(p);
  if (sla.length) filter.sla = sla;
  const priorities = takePriorities(p, true);
  if (priorities.length) filter.priority = priorities;
  const { statuses, waitingReason } = takeStatuses(p, "filter");
  if (statuses.length) filter.status = statuses;
  if (waitingReason) filter.waitingReason = waitingReason;

  const refs = takeReferences(p, ctx);
  if (refs.clarify) return { filter, dates: null, leftover: [], clarify: refs.clarify };
  if (refs.category) filter.category = refs.category;
  if (refs.team) filter.team = refs.team;

  const person = /\b(?:from|requested by|raised by|opened by|filed by|reported by|submitted by)\s+(?!the\b)(\p{L}[\p{L}.'-]*)/iu.exec(p.text);
  if (person) return { filter, dates: null, leftover: [], clarify: { message: `Name the requester by e-mail, e.g. "tickets from ${person[1].toLowerCase()}@example.com".` } };
  const forWho = about ? null : /\bfor\s+(\p{L}[\p{L}.'-]*)/iu.exec(p.text);
  if (forWho && !FILLER.has(forWho[1].toLowerCase())) {
    const w = forWho[1];
    return {
      filter, dates: null, leftover: [],
      clarify: {
        message: `Tickets "for ${w}": assigned to ${w}, or mentioning ${w}?`,
        candidates: [
          { label: `Assigned to ${w}`, command: `tickets assigned to ${w}` },
          { label: `Mentioning ${w}`, command: `search ${w}` },
        ],
      },
    };
  }
  let leftover = p.leftover(FILLER);
  if (about) {
    const tail = new Phrase(about[1]);
    const tailDates = dates ? null : takeDateRange(tail, ctx.now, ctx.timeZone);
    if (tailDates && "range" in tailDates) Object.assign(filter, rangeFields(tailDates.range));
    q = tail.text.trim() || undefined;
  } else if (opts.searchLeftover && leftover.length) {
    q = [q, leftover.join(" ")].filter(Boolean).join(" ");
    leftover = [];
  }
  if (q) filter.q = q.slice(0, 200);
  if (dates && "range" in dates) Object.assign(filter, rangeFields(dates.range));

  const wide = filter.createdFrom || filter.createdTo || filter.requester || filter.q;
  if (!filter.status && !opts.noDefaultStatus && (!wide || opts.unsolvedByDefault)) filter.status = [...UNSOLVED];
  return { filter, dates: dates && "range" in dates ? dates.range : null, sort, limit, leftover };
}

const rangeFields = (r: DateRange): Partial<TicketFilter> => ({
  ...(r.from ? { createdFrom: r.from } : {}),
  ...(r.to ? { createdTo: r.to } : {}),
});

/** Words that end a person's name in "assigned to maria this week". */
const NAME_STOP = new Set(
  "this last since with created opened sorted today yesterday in on from and or tickets ticket that which who priority status p1 p2 p3 p4 high low urgent critical waiting open closed resolved new before after between by top first".split(" "),
);

/**
 * Takes "team X", "category X" and bare category/team names out of `p`: explicit forms match
 * partially (matchRefs), bare words only exactly (the longest run of 1–4 words wins).
 */
export function takeReferences(p: Phrase, ctx: GrammarContext): { category?: string; team?: string; clarify?: { message: string; candidates?: Candidate[] } } {
  const out: { category?: string; team?: string } = {};
  for (const kind of ["team", "category"] as const) {
    const refs = kind === "team" ? ctx.teams : ctx.categories;
    const m = new RegExp(String.raw`\b${kind}\s*:?\s+((?:[\p{L}\p{N}&-]+\s*){1,4})`, "iu").exec(p.text);
    if (!m) continue;
    const words = m[1].trim().split(/\s+/);
    for (let n = words.length; n > 0; n--) {
      const found = matchRefs(words.slice(0, n).join(" "), refs);
      if (found.length > 1) return { clarify: ambiguous(kind, words.slice(0, n).join(" "), found) };
      if (found.length === 1) {
        out[kind] = found[0].slug;
        p.text = p.text.replace(new RegExp(String.raw`\b${kind}\s*:?\s+${words.slice(0, n).map(escape).join(String.raw`\s+`)}`, "iu"), " ");
        break;
      }
    }
  }
  const words = p.text.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(4, words.length - i); n > 0; n--) {
      const phrase = words.slice(i, i + n).join(" ");
      if (!normalizeName(phrase)) continue;
      const cats = out.category ? [] : exactRefs(phrase, ctx.categories);
      const teams = out.team ? [] : exactRefs(phrase, ctx.teams);
      if (cats.length + teams.length === 0) continue;
      if (cats.length + teams.length > 1) return { clarify: ambiguousBoth(phrase, cats, teams) };
      if (cats.length) out.category = cats[0].slug;
      else out.team = teams[0].slug;
      words.splice(i, n);
      i--;
      break;
    }
  }
  p.text = ` ${words.join(" ")} `;
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A clarify answer for a word matching several categories or teams. */
export function ambiguous(kind: "team" | "category", phrase: string, refs: Ref[]) {
  return {
    message: `"${phrase}" matches several ${kind === "team" ? "teams" : "categories"}: ${refs.map((r) => r.name).join(", ")}. Which one?`,
    candidates: refs.map((r) => ({ label: r.name, command: `show ${kind} ${r.slug} tickets` })),
  };
}

function ambiguousBoth(phrase: string, cats: Ref[], teams: Ref[]) {
  return {
    message: `"${phrase}" matches ${[...cats.map((c) => `category ${c.name}`), ...teams.map((t) => `team ${t.name}`)].join(" and ")}. Which one?`,
    candidates: [
      ...cats.map((c) => ({ label: `Category ${c.name}`, command: `show category ${c.slug} tickets` })),
      ...teams.map((t) => ({ label: `Team ${t.name}`, command: `show team ${t.slug} tickets` })),
    ],
  };
}
