import { ListTicketsQuerySchema, type ListTicketsQuery } from "@/lib/tickets/schemas";

export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Page searchParams → the flat string record the list schema parses: repeated keys
 * (`status=new&status=open`) become comma lists, empty values (blank GET-form fields) are dropped.
 */
export function flattenSearchParams(sp: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sp)) {
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string" && x.trim() !== "");
    if (list.length) out[k] = list.join(",");
  }
  return out;
}

const FIELD_LABEL: Record<string, string> = {
  status: "Status",
  priority: "Priority",
  category: "Category",
  team: "Team",
  assignee: "Assignee",
  email: "E-mail",
  needsReview: "Needs review",
  q: "Search",
  sla: "SLA",
  sort: "Sort by",
  limit: "Page size",
  cursor: "Page",
};

/** Filters that accept several values (repeated or comma-separated). */
const LIST_FIELDS = new Set(["status", "priority"]);

export type ParsedTicketQuery =
  | { ok: true; query: ListTicketsQuery; raw: Record<string, string> }
  | { ok: false; issues: string[]; raw: Record<string, string> };

/** Parse a list page's searchParams with ListTicketsQuerySchema (strict: unknown keys are errors). */
export function parseTicketQuery(sp: SearchParams, fixed: Partial<Record<string, string>> = {}): ParsedTicketQuery {
  const raw = flattenSearchParams(sp);
  // Only list filters take several values; any other filter given twice is an error, as in the API.
  const repeated = Object.entries(sp)
    .filter(([k, v]) => !LIST_FIELDS.has(k) && Array.isArray(v) && v.filter((x) => x.trim() !== "").length > 1)
    .map(([k]) => `${FIELD_LABEL[k] ?? k}: given more than once; send one value`);
  if (repeated.length) return { ok: false, issues: repeated, raw };
  const parsed = ListTicketsQuerySchema.safeParse({ ...raw, ...fixed });
  if (parsed.success) return { ok: true, query: parsed.data, raw };
  const issues = parsed.error.issues.map((i) => {
    if (i.code === "unrecognized_keys") {
      const keys = (i as { keys?: string[] }).keys ?? [];
      return `Unknown filter${keys.length === 1 ? "" : "s"}: ${keys.join(", ")}`;
    }
    const field = String(i.path[0] ?? "");
    return field ? `${FIELD_LABEL[field] ?? field}: ${i.message}` : i.message;
  });
  return { ok: false, issues, raw };
}

/** `base?…raw` with `patch` applied (undefined removes a key). */
export function hrefWith(base: string, raw: Record<string, string>, patch: Record<string, string | undefined>): string {
  const qs = new URLSearchParams();
  const merged: Record<string, string | undefined> = { ...raw, ...patch };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== "") qs.set(k, v);
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
}
