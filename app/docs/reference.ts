import { openApiDocument } from "@/lib/http/openapi";

/*
 * A flat, render-friendly view of the OpenAPI document for the /docs page: operations grouped by
 * tag, with parameters, request body, responses and a curl example. Server-only (reads the
 * generated document); the page renders it without client JavaScript, so it works offline and
 * under the per-request-nonce CSP.
 */

type Json = Record<string, unknown>;

export interface DocParam {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: Json;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  scope: string;
  auth: string;
  params: DocParam[];
  requestSchema?: Json;
  requestExample?: unknown;
  responses: { status: string; description: string; schema?: Json; example?: unknown }[];
  curl: string;
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

/** Every operation of the document, grouped by its first tag (tags sorted, operations by path). */
export function referenceGroups(): { tag: string; operations: DocOperation[] }[] {
  const doc = openApiDocument() as { paths: Record<string, Record<string, Json>> };
  const groups = new Map<string, DocOperation[]>();
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase();
      const body = (op.requestBody as { content?: Record<string, { schema?: Json; example?: unknown }> } | undefined)?.content?.["application/json"];
      const responses = Object.entries((op.responses ?? {}) as Record<string, { description?: string; content?: Record<string, { schema?: Json; example?: unknown }> }>).map(
        ([status, r]) => {
          const c = r.content ? Object.values(r.content)[0] : undefined;
          return { status, description: r.description ?? "", schema: c?.schema, example: c?.example };
        },
      );
      const auth = String(op["x-auth"] ?? "");
      const curl = [
        `curl -X ${method} "$BASE_URL${p}"`,
        auth === "public" ? null : `-H "Authorization: Bearer $API_KEY"`,
        body ? `-H "Content-Type: application/json" -d '${JSON.stringify(body.example ?? {})}'` : null,
      ]
        .filter(Boolean)
        .join(" \\\n  ");
      const entry: DocOperation = {
        id: String(op.operationId ?? `${m}-${p}`),
        method,
        path: p,
        summary: String(op.summary ?? ""),
        description: String(op.description ?? ""),
        scope: String(op["x-required-scope"] ?? ""),
        auth,
        params: (op.parameters ?? []) as DocParam[],
        requestSchema: body?.schema,
        requestExample: body?.example,
        responses,
        curl,
      };
      const tag = ((op.tags as string[] | undefined) ?? ["other"])[0];
      groups.set(tag, [...(groups.get(tag) ?? []), entry]);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, operations]) => ({ tag, operations }));
}

/** JSON text for a schema or example block. */
export { pretty };

/**
 * The URL a "try it" form of a GET operation leads to: the path template (it must be one of the
 * document's GET paths, so this never redirects off the API) with `{name}` segments filled from
 * `values` (URL-encoded) and the remaining non-empty values as the query string. Null when the
 * template is unknown or a path parameter is missing.
 */
export function tryItUrl(template: string, values: Record<string, string>): string | null {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  if (!doc.paths[template]?.get) return null;
  const rest = { ...values };
  let missing = false;
  const filled = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = rest[name];
    delete rest[name];
    if (!v) missing = true;
    return encodeURIComponent(v ?? "");
  });
  if (missing) return null;
  const qs = new URLSearchParams(Object.entries(rest).filter(([, v]) => v !== "")).toString();
  return qs ? `${filled}?${qs}` : filled;
}
