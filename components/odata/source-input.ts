import type { Priority } from "@/db/schema/enums";
import type { ODataAuthKind, ODataVersion } from "@/db/schema/sla";
import type { FormState } from "@/lib/forms/form-state";
import type { ODataSourceDTO } from "@/lib/odata/dto";

/*
 * The admin OData source form's values (strings, as the inputs hold them) and their
 * translation into the API's payload (CreateODataSourceSchema / UpdateODataSourceSchema).
 * Shared by the client form and tests; no server-only imports.
 */

/** Result of the OData source server actions. Field keys are payload paths (`mapping.title`). */
export type SourceFormState = FormState<string, { id: string; name: string }>;

export interface SourceFormValues {
  name: string;
  version: ODataVersion;
  baseUrl: string;
  entitySet: string;
  filter: string;
  select: string;
  authKind: ODataAuthKind;
  username: string;
  /** Empty: keep the stored secret (edit) or none (create). */
  secret: string;
  sapClient: string;
  sapLanguage: string;
  mapTitle: string;
  mapDescription: string;
  mapPriority: string;
  mapExternalId: string;
  mapChangedAt: string;
  /** One `value = P1` per line. */
  priorityMap: string;
  defaultPriority: Priority;
  closedField: string;
  /** Comma-separated. */
  closedValues: string;
  category: string;
  team: string;
  intervalMin: string;
  /** Comma- or line-separated addresses. */
  reportTo: string;
  active: boolean;
  resetDelta: boolean;
}

/** Empty form for a new source. */
export function emptySourceValues(): SourceFormValues {
  return {
    name: "",
    version: "v2",
    baseUrl: "",
    entitySet: "",
    filter: "",
    select: "",
    authKind: "basic",
    username: "",
    secret: "",
    sapClient: "",
    sapLanguage: "",
    mapTitle: "",
    mapDescription: "",
    mapPriority: "",
    mapExternalId: "",
    mapChangedAt: "",
    priorityMap: "",
    defaultPriority: "P3",
    closedField: "",
    closedValues: "",
    category: "",
    team: "",
    intervalMin: "15",
    reportTo: "",
    active: true,
    resetDelta: false,
  };
}

/** The form values of a stored source (the secret is never known: left empty). */
export function sourceValuesOf(s: ODataSourceDTO): SourceFormValues {
  const m = s.mapping;
  return {
    ...emptySourceValues(),
    name: s.name,
    version: s.version,
    baseUrl: s.baseUrl,
    entitySet: s.entitySet,
    filter: s.filter ?? "",
    select: s.select ?? "",
    authKind: s.authKind,
    username: s.username ?? "",
    sapClient: s.sapClient ?? "",
    sapLanguage: s.sapLanguage ?? "",
    mapTitle: m.title,
    mapDescription: m.description ?? "",
    mapPriority: m.priority ?? "",
    mapExternalId: m.externalId,
    mapChangedAt: m.changedAt ?? "",
    priorityMap: Object.entries(m.priorityMap ?? {})
      .map(([k, v]) => `${k} = ${v}`)
      .join("\n"),
    defaultPriority: m.defaultPriority ?? "P3",
    closedField: m.closed?.field ?? "",
    closedValues: m.closed?.values.join(", ") ?? "",
    category: s.category ?? "",
    team: s.team ?? "",
    intervalMin: String(s.intervalMin),
    reportTo: s.reportTo.join(", "),
    active: s.active,
  };
}

/** `value = P1` lines → a map; the text itself (for the schema to report) when a line is malformed. */
export function parsePriorityLines(text: string): Record<string, string> | { error: string } {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const at = line.lastIndexOf("=");
    if (at <= 0) return { error: `Line ${i + 1}: write each as value = P1` };
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim().toUpperCase();
  }
  return out;
}

const opt = (s: string) => (s.trim() ? s.trim() : null);
const list = (s: string) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
const num = (s: string): number | string => (/^[0-9]+$/.test(s.trim()) ? Number(s.trim()) : s.trim());

/** The mapping object of the form's values, or a field error for the priority lines. */
function mappingOf(v: SourceFormValues): { mapping: Record<string, unknown> } | { fieldErrors: Record<string, string> } {
  const pm = parsePriorityLines(v.priorityMap);
  if ("error" in pm && typeof pm.error === "string") return { fieldErrors: { "mapping.priorityMap": pm.error } };
  return {
    mapping: {
      title: v.mapTitle.trim(),
      externalId: v.mapExternalId.trim(),
      description: opt(v.mapDescription),
      priority: opt(v.mapPriority),
      changedAt: opt(v.mapChangedAt),
      ...(Object.keys(pm).length ? { priorityMap: pm } : {}),
      defaultPriority: v.defaultPriority,
      closed: v.closedField.trim() ? { field: v.closedField.trim(), values: list(v.closedValues) } : null,
    },
  };
}

type Built = { payload: Record<string, unknown> } | { fieldErrors: Record<string, string> };

/** The create payload of the form's values (to parse with CreateODataSourceSchema). */
export function createSourcePayload(v: SourceFormValues): Built {
  const m = mappingOf(v);
  if ("fieldErrors" in m) return m;
  return {
    payload: {
      name: v.name,
      version: v.version,
      baseUrl: v.baseUrl,
      entitySet: v.entitySet,
      filter: opt(v.filter),
      select: opt(v.select),
      authKind: v.authKind,
      ...(v.authKind === "basic" ? { username: v.username.trim() } : {}),
      ...(v.secret && v.authKind !== "none" ? { secret: v.secret } : {}),
      sapClient: opt(v.sapClient),
      sapLanguage: opt(v.sapLanguage),
      mapping: m.mapping,
      category: opt(v.category),
      team: opt(v.team),
      intervalMin: num(v.intervalMin),
      reportTo: list(v.reportTo),
      active: v.active,
    },
  };
}

/** The PATCH payload: only what differs from the stored source `initial`; an empty secret keeps the stored one. */
export function updateSourcePayload(v: SourceFormValues, initial: SourceFormValues): Built {
  const full = createSourcePayload(v);
  if ("fieldErrors" in full) return full;
  const before = createSourcePayload(initial);
  const old = "payload" in before ? before.payload : {};
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(full.payload)) {
    if (k === "secret" || k === "username") continue;
    if (JSON.stringify(val) !== JSON.stringify(old[k])) out[k] = val;
  }
  if (v.authKind === "basic" && (v.username.trim() !== initial.username || v.authKind !== initial.authKind)) out.username = v.username.trim();
  if (v.secret && v.authKind !== "none") out.secret = v.secret;
  if (v.resetDelta) out.resetDelta = true;
  return { payload: out };
}

/** Field errors keyed by payload path (`mapping.title`); an address's issue (`reportTo.2`) shows on the reportTo box. */
export function sourceFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const path = i.path.map(String);
    const key = path[0] === "reportTo" ? "reportTo" : path[0] === "mapping" && path[1] === "priorityMap" ? "mapping.priorityMap" : path.join(".") || "form";
    if (!out[key]) out[key] = i.message;
  }
  return out;
}
