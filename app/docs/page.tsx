import type { Metadata } from "next";
import { pretty, referenceGroups, type DocOperation } from "./reference";

export const metadata: Metadata = { title: "API reference" };
export const dynamic = "force-dynamic";

const METHOD_STYLE: Record<string, string> = {
  GET: "bg-sky-100 text-sky-900",
  POST: "bg-emerald-100 text-emerald-900",
  PATCH: "bg-amber-100 text-amber-900",
  PUT: "bg-amber-100 text-amber-900",
  DELETE: "bg-rose-100 text-rose-900",
};

const PARAM_COLUMNS = ["Name", "In", "Required", "Schema"];

function Code({ value }: { value: unknown }) {
  return <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{typeof value === "string" ? value : pretty(value)}</pre>;
}

/** A GET operation's "Try it" form: plain HTML through /docs/try (uses the browser's session cookie). */
function TryIt({ op }: { op: DocOperation }) {
  return (
    <form method="get" action="/docs/try" target="_blank" className="mt-3 space-y-2 rounded border border-slate-200 p-3" aria-label={`Try ${op.method} ${op.path}`}>
      <input type="hidden" name="_path" value={op.path} />
      {op.params.map((p) => (
        <label key={`${p.in}-${p.name}`} className="flex items-center gap-2 text-sm">
          <span className="w-40 font-mono">
            {p.name}
            {p.required ? " *" : ""}
          </span>
          <input name={p.name} required={p.required} className="flex-1 rounded border border-slate-300 px-2 py-1" placeholder={p.in} />
        </label>
      ))}
      <button type="submit" className="rounded bg-slate-800 px-3 py-1 text-sm text-white">
        Send (opens a new tab)
      </button>
    </form>
  );
}

function Operation({ op }: { op: DocOperation }) {
  return (
    <details id={op.id} className="rounded border border-slate-200 bg-white">
      <summary className="flex cursor-pointer items-center gap-3 px-3 py-2">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold ${METHOD_STYLE[op.method] ?? ""}`}>{op.method}</span>
        <span className="font-mono text-sm">{op.path}</span>
        <span className="text-sm text-slate-600">{op.summary}</span>
      </summary>
      <div className="space-y-3 border-t border-slate-200 px-3 py-3 text-sm">
        <p className="whitespace-pre-line">{op.description}</p>
        <p>
          Auth: <code>{op.auth}</code>
          {op.auth !== "public" ? (
            <>
              {" "}· API key scope: <code>{op.scope}</code>
            </>
          ) : null}
        </p>
        {op.params.length ? (
          <table className="w-full text-left text-xs">
            <caption className="text-left font-semibold">Parameters</caption>
            <thead>
              <tr>
                {PARAM_COLUMNS.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {op.params.map((p) => (
                <tr key={`${p.in}-${p.name}`} className="align-top">
                  <td className="font-mono">{p.name}</td>
                  <td>{p.in}</td>
                  <td>{p.required ? "yes" : "no"}</td>
                  <td>
                    <code className="break-all">{JSON.stringify(p.schema)}</code>
                    {p.description ? <div>{p.description}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {op.requestSchema ? (
          <div>
            <h4 className="font-semibold">Request body (application/json)</h4>
            {op.requestExample !== undefined ? <Code value={op.requestExample} /> : null}
            <details>
              <summary className="cursor-pointer">Schema</summary>
              <Code value={op.requestSchema} />
            </details>
          </div>
        ) : null}
        <div>
          <h4 className="font-semibold">Responses</h4>
          <ul className="space-y-1">
            {op.responses.map((r) => (
              <li key={r.status}>
                <code>{r.status}</code> {r.description}
                {r.example !== undefined ? <Code value={r.example} /> : null}
                {r.schema && !r.status.startsWith("4") && !r.status.startsWith("5") ? (
                  <details>
                    <summary className="cursor-pointer">Schema</summary>
                    <Code value={r.schema} />
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h4 className="font-semibold">curl</h4>
          <Code value={op.curl} />
        </div>
        {op.method === "GET" ? <TryIt op={op} /> : null}
      </div>
    </details>
  );
}

/**
 * /docs — the interactive API reference, rendered on the server from the OpenAPI document that
 * /api/openapi.json serves (so both list every route). No client JavaScript and no CDN: it works
 * offline and under the nonce-based CSP. GET operations have "Try it" forms (sent with the
 * browser's session); every operation shows a curl example for API keys.
 */
export default function DocsPage() {
  const groups = referenceGroups();
  return (
    <main className="mx-auto max-w-6xl space-y-6 p-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">API reference</h1>
        <p className="text-sm text-slate-600">
          Generated from the route definitions. Machine-readable: <a className="underline" href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Authenticate with{" "}
          <code>Authorization: Bearer &lt;API key&gt;</code> or a signed-in session. Errors are <code>{"{error: {code, message, details}}"}</code>; every route is rate
          limited per caller unless noted (429 with <code>Retry-After</code>).
        </p>
        <nav aria-label="API sections" className="flex flex-wrap gap-2 text-sm">
          {groups.map((g) => (
            <a key={g.tag} href={`#tag-${g.tag}`} className="rounded border border-slate-300 px-2 py-0.5">
              {g.tag}
            </a>
          ))}
        </nav>
      </header>
      {groups.map((g) => (
        <section key={g.tag} id={`tag-${g.tag}`} className="space-y-2" aria-labelledby={`h-${g.tag}`}>
          <h2 id={`h-${g.tag}`} className="text-lg font-semibold">
            {g.tag}
          </h2>
          {g.operations.map((op) => (
            <Operation key={op.id} op={op} />
          ))}
        </section>
      ))}
    </main>
  );
}
