import type { Priority, Status, WaitingReason } from "@/db/schema/enums";
import type { Candidate, GrammarContext } from "../types";
import { correctTypos } from "./fuzzy";
import { Phrase } from "./phrase";
import { categoriesOrTeams, matchRefs, refWords, type Ref } from "./reference";
import { normalizeName } from "./text";
import { takePriorities, takeStatuses } from "./vocabulary";

/*
 * The change part of "update T-12 to in progress", "set T-3 priority to low", "T-5 to waiting
 * on vendor", "move T-4 to team identity access", "change category of T-8 to storage".
 * Every word must be understood; a category/team word that matches more than one reference
 * (or both a category and a team) is a question back, never a guess.
 */

export interface Change {
  status?: Status;
  waitingReason?: WaitingReason;
  priority?: Priority;
  category?: string;
  team?: string;
}

export type ChangeResult = { change: Change } | { clarify: { message: string; candidates?: Candidate[] } } | { unknown: string };

const FILLER = new Set("to as into in on the a an be is now set state status priority of it this for change changed move moved and".split(" "));

/**
 * Parses `text` as field changes. `field` is a field named before the value ("set the
 * priority of T-3 to …"); `command` builds the command text of a candidate for a clarify answer.
 */
export function parseChange(text: string, ctx: GrammarContext, field: string | undefined, command: (value: string) => string): ChangeResult {
  const p = new Phrase(` ${correctTypos(text.replace(/(?<=\p{L})[-_](?=\p{L})/gu, " "), refWords([...ctx.categories, ...ctx.teams]))} `);
  const change: Change = {};
  const f = field?.toLowerCase();
  if (f === "category" || f === "team") return pickRef(p.text, f, ctx, command);
  const explicit = /\b(team|category)\s*:?\s+(.+)$/i.exec(p.text);
  if (explicit) {
    const r = pickRef(explicit[2], explicit[1].toLowerCase() as "team" | "category", ctx, command);
    if (!("change" in r)) return r;
    Object.assign(change, r.change);
    p.text = p.text.slice(0, explicit.index);
  }
  if (!f || f === "priority") {
    const pr = takePriorities(p, true);
    if (pr.length > 1) return { unknown: `Give one priority, not ${pr.join(" and ")}.` };
    if (pr.length) change.priority = pr[0];
    if (f === "priority" && !pr.length) return { unknown: `"${text.trim()}" is no priority: say critical (P1), high (P2), medium (P3) or low (P4).` };
  }
  if (!f || f === "status") {
    const { statuses, waitingReason } = takeStatuses(p, "change");
    if (statuses.length > 1) return { unknown: `Give one status, not ${statuses.join(" and ")}.` };
    if (statuses.length) change.status = statuses[0];
    if (waitingReason) change.waitingReason = waitingReason;
  }
  const rest = p.leftover(FILLER).join(" ");
  if (rest) {
    if (Object.keys(change).length) return { unknown: `I did not understand "${rest}".` };
    const { cats, teams } = categoriesOrTeams(rest, ctx.categories, ctx.teams);
    if (cats.length + teams.length === 0) return { unknown: `I did not understand "${rest}": give a status, a priority, "team <name>" or "category <name>".` };
    if (cats.length + teams.length > 1)
      return {
        clarify: {
          message: `"${rest}" matches ${[...cats.map((c) => `category ${c.name}`), ...teams.map((t) => `team ${t.name}`)].join(", ")}. Which one?`,
          candidates: [...cats.map((c) => cand("category", c, command)), ...teams.map((t) => cand("team", t, command))],
        },
      };
    if (cats.length) change.category = cats[0].slug;
    else change.team = teams[0].slug;
  }
  return { change };
}

const cand = (kind: "team" | "category", r: Ref, command: (value: string) => string): Candidate => ({
  label: `${kind === "team" ? "Team" : "Category"} ${r.name}`,
  command: command(`${kind} ${r.slug}`),
});

function pickRef(text: string, kind: "team" | "category", ctx: GrammarContext, command: (value: string) => string): ChangeResult {
  const phrase = text.replace(/^\s*(?:to|as|into|the|:)\s+/i, "").replace(/^\s*(?:to|the)\s+/i, "").trim();
  const refs = kind === "team" ? ctx.teams : ctx.categories;
  const found = normalizeName(phrase) ? matchRefs(phrase, refs) : [];
  if (found.length === 1) return { change: kind === "team" ? { team: found[0].slug } : { category: found[0].slug } };
  if (found.length > 1) return { clarify: { message: `"${phrase}" matches several ${kind === "team" ? "teams" : "categories"}. Which one?`, candidates: found.map((r) => cand(kind, r, command)) } };
  return { unknown: `There is no ${kind} "${phrase}". Known ${kind === "team" ? "teams" : "categories"}: ${refs.map((r) => r.slug).join(", ")}.` };
}
