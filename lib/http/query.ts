import { z } from "zod";

/*
 * Query strings, the same way everywhere: a key given once is a string; a repeated key
 * (`status=new&status=open`) is an array of its values in order. List fields take comma
 * lists, repeats, or both (`status=new,open&status=waiting`) through {@link listParam}; any
 * other field given twice is a 400 instead of silently keeping the last value.
 * Imported by client components (through lib/tickets/schemas.ts): no server-only imports.
 */

/** One query parameter as schemas receive it: a string, or an array when the key was repeated. */
export type QueryValue = string | string[];

/** URLSearchParams → `{key: value}`; repeated keys become arrays (never silently last-wins). */
export function searchParamsToObject(params: URLSearchParams): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [k, v] of params) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

/** Split a comma list or repeated parameter into its trimmed, non-empty, distinct items, in order. */
export function splitListParam(value: QueryValue): string[] {
  const items = (Array.isArray(value) ? value : [value]).flatMap((s) => s.split(",")).map((s) => s.trim());
  return [...new Set(items.filter(Boolean))];
}

/**
 * A list-valued query field: accepts `a,b`, `x=a&x=b`, and mixtures; each item is checked by
 * `item` (e.g. `z.enum(STATUSES)`); 1 to `max` distinct items. Output: an array of items.
 */
export function listParam<T extends z.ZodType<string, string>>(item: T, max = 50) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform(splitListParam)
    .pipe(z.array(item).min(1, "Give at least one value").max(max))
    .describe("A comma-separated list, or the parameter repeated (both may be mixed)");
}

/** A zod issue as the route wrapper reports it. */
export interface QueryIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * Reword the type errors zod reports for a scalar field that was given twice (its input is an
 * array): "Give `limit` only once". List fields never produce these (they accept arrays).
 */
export function explainRepeatedParams<I extends QueryIssue & { path: string }>(issues: I[], input: Record<string, QueryValue>): I[] {
  return issues.map((i) =>
    !i.path.includes(".") && Array.isArray(input[i.path]) && /^invalid_(type|value|union|format)$/.test(i.code)
      ? { ...i, code: "repeated_parameter", message: `Give the ${i.path} parameter only once (it was repeated); it is not a list` }
      : i,
  );
}
