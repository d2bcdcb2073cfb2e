import type { Priority } from "@/db/schema/enums";
import type { FormState } from "@/lib/forms/form-state";
import type { TargetDTO } from "@/lib/routing/targets/dto";
import type { TargetKind, TargetMethod } from "@/lib/routing/targets/types";

/*
 * The admin team-mapping form's values (all strings, as the inputs hold them) and their
 * translation into the API's payload (CreateTargetSchema / UpdateTargetSchema). Shared by the
 * client form and its tests; no server-only imports.
 */

/** Result of the team-mapping server actions. Field keys are payload paths (`config.projectKey`). */
export type TargetFormState = FormState<string, { id: string; name: string }>;

export const PRIORITY_KEYS = ["P1", "P2", "P3", "P4"] as const satisfies readonly Priority[];

export interface TargetFormValues {
  name: string;
  team: string;
  kind: TargetKind;
  url: string;
  method: TargetMethod;
  priorityThreshold: Priority;
  active: boolean;
  retryLimit: string;
  retryDelayS: string;
  /** Empty: keep the stored secret (edit) or none (create). */
  secret: string;
  clearSecret: boolean;
  /** One `Name: value` per line. Empty: keep the stored headers (edit) or none (create). */
  headers: string;
  clearHeaders: boolean;
  jiraProjectKey: string;
  jiraIssueType: string;
  jiraPriorities: Record<Priority, string>;
  fsGroupId: string;
  fsPriorities: Record<Priority, string>;
  fsSource: string;
  slackChannel: string;
  slackMention: string;
}

const blankPriorities = (): Record<Priority, string> => ({ P1: "", P2: "", P3: "", P4: "" });

/** Empty form for a new mapping of `team`. */
export function emptyTargetValues(team = ""): TargetFormValues {
  return {
    name: "",
    team,
    kind: "webhook",
    url: "",
    method: "POST",
    priorityThreshold: "P4",
    active: true,
    retryLimit: "10",
    retryDelayS: "10",
    secret: "",
    clearSecret: false,
    headers: "",
    clearHeaders: false,
    jiraProjectKey: "",
    jiraIssueType: "Task",
    jiraPriorities: blankPriorities(),
    fsGroupId: "",
    fsPriorities: blankPriorities(),
    fsSource: "2",
    slackChannel: "",
    slackMention: "",
  };
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** The form values of a stored mapping (secret and header values are never known: left empty). */
export function targetValuesOf(t: TargetDTO): TargetFormValues {
  const c = t.config as Record<string, unknown>;
  const pri = (c.priorities ?? {}) as Record<string, unknown>;
  const base = emptyTargetValues(t.team);
  return {
    ...base,
    name: t.name,
    kind: t.kind,
    url: t.url,
    method: t.method,
    priorityThreshold: t.priorityThreshold,
    active: t.active,
    retryLimit: String(t.retryLimit),
    retryDelayS: String(t.retryDelayS),
    ...(t.kind === "jira"
      ? { jiraProjectKey: str(c.projectKey), jiraIssueType: str(c.issueType) || "Task", jiraPriorities: { P1: str(pri.P1), P2: str(pri.P2), P3: str(pri.P3), P4: str(pri.P4) } }
      : {}),
    ...(t.kind === "freshservice"
      ? { fsGroupId: str(c.groupId), fsSource: str(c.source) || "2", fsPriorities: { P1: str(pri.P1), P2: str(pri.P2), P3: str(pri.P3), P4: str(pri.P4) } }
      : {}),
    ...(t.kind === "slack" ? { slackChannel: str(c.channel), slackMention: str(c.mentionOnP1) } : {}),
  };
}

/** A number from a text input, or the text itself (so the schema reports it) when not a number. */
function num(s: string): number | string {
  const t = s.trim();
  return /^-?[0-9]+$/.test(t) ? Number(t) : t;
}

/** The per-kind `config` object of the form's values (empty inputs left out, defaults apply). */
export function configOf(v: TargetFormValues): Record<string, unknown> {
  const pick = <T,>(m: Record<Priority, string>, f: (s: string) => T) =>
    Object.fromEntries(PRIORITY_KEYS.filter((p) => m[p].trim() !== "").map((p) => [p, f(m[p].trim())]));
  switch (v.kind) {
    case "jira":
      return { projectKey: v.jiraProjectKey.trim(), ...(v.jiraIssueType.trim() ? { issueType: v.jiraIssueType.trim() } : {}), priorities: pick(v.jiraPriorities, (s) => s) };
    case "freshservice":
      return {
        ...(v.fsGroupId.trim() ? { groupId: num(v.fsGroupId) } : {}),
        priorities: pick(v.fsPriorities, num),
        ...(v.fsSource.trim() ? { source: num(v.fsSource) } : {}),
      };
    case "slack":
      return { ...(v.slackChannel.trim() ? { channel: v.slackChannel.trim() } : {}), ...(v.slackMention.trim() ? { mentionOnP1: v.slackMention.trim() } : {}) };
    default:
      return {};
  }
}

/**
 * `Name: value` lines → a header map. Blank lines are skipped.
 * @returns the map, or `error` naming the first line that is not `Name: value`.
 */
export function parseHeaderLines(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const at = line.indexOf(":");
    if (at <= 0) return { error: `Line ${i + 1}: write each header as Name: value` };
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { headers };
}

/**
 * The create payload of the form's values (to parse with CreateTargetSchema), or a field
 * error for the headers text.
 */
export function createPayload(v: TargetFormValues): { payload: Record<string, unknown> } | { fieldErrors: Record<string, string> } {
  const h = v.headers.trim() ? parseHeaderLines(v.headers) : { headers: undefined };
  if ("error" in h) return { fieldErrors: { headers: h.error } };
  return {
    payload: {
      name: v.name,
      team: v.team,
      kind: v.kind,
      url: v.url,
      method: v.method,
      priorityThreshold: v.priorityThreshold,
      active: v.active,
      retryLimit: num(v.retryLimit),
      retryDelayS: num(v.retryDelayS),
      config: configOf(v),
      ...(h.headers ? { headers: h.headers } : {}),
      ...(v.secret ? { secret: v.secret } : {}),
    },
  };
}

/**
 * The PATCH payload: only what differs from the stored mapping `initial`. An empty secret or
 * headers box keeps the stored ones; the "remove" boxes send `null`. A masked URL left as shown
 * is kept.
 */
export function updatePayload(v: TargetFormValues, initial: TargetFormValues): { payload: Record<string, unknown> } | { fieldErrors: Record<string, string> } {
  const out: Record<string, unknown> = {};
  for (const k of ["name", "team", "kind", "url", "method", "priorityThreshold", "active"] as const) {
    if (v[k] !== initial[k]) out[k] = v[k];
  }
  for (const k of ["retryLimit", "retryDelayS"] as const) if (v[k].trim() !== initial[k]) out[k] = num(v[k]);
  const config = configOf(v);
  if (JSON.stringify(config) !== JSON.stringify(configOf(initial)) || v.kind !== initial.kind) out.config = config;
  if (v.clearHeaders) out.headers = null;
  else if (v.headers.trim()) {
    const h = parseHeaderLines(v.headers);
    if ("error" in h) return { fieldErrors: { headers: h.error } };
    out.headers = h.headers;
  }
  if (v.clearSecret) out.secret = null;
  else if (v.secret) out.secret = v.secret;
  return { payload: out };
}

/** Field errors keyed by payload path (`config.projectKey`, `url`) from zod-like issues. */
export function issuesToFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join(".") || "form";
    // A header name's issue sits under headers.<name>: show it on the headers box.
    const field = key.startsWith("headers.") ? "headers" : key;
    if (!out[field]) out[field] = field === "headers" && key !== "headers" ? `${key.slice(8)}: ${i.message}` : i.message;
  }
  return out;
}
