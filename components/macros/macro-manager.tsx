"use client";

import { useId, useState, type FormEvent } from "react";
import { STATUSES, PRIORITIES, WAITING_REASONS } from "@/db/schema/enums";
import type { MacroActions, MacroDTO } from "@/lib/macros/schemas";
import { PLACEHOLDERS } from "@/lib/macros/schemas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass } from "@/components/ui/field";
import { PRIORITY_LABEL, STATUS_LABEL, WAITING_REASON_LABEL } from "@/components/tickets/labels";

type Option = { value: string; label: string };
type ActionField = keyof MacroActions;

interface Draft {
  id: string | null;
  name: string;
  body: string;
  internal: boolean;
  /** "" = leave the field unchanged; "none" = clear (team, assignee). */
  actions: Record<ActionField, string>;
}

const EMPTY_ACTIONS: Record<ActionField, string> = { status: "", waitingReason: "", priority: "", category: "", team: "", assignee: "" };
const NONE = "none";

function toDraft(m: MacroDTO | null): Draft {
  if (!m) return { id: null, name: "", body: "", internal: false, actions: { ...EMPTY_ACTIONS } };
  const a = m.actions;
  return {
    id: m.id,
    name: m.name,
    body: m.body,
    internal: m.internal,
    actions: {
      status: a.status ?? "",
      waitingReason: a.waitingReason ?? "",
      priority: a.priority ?? "",
      category: a.category ?? "",
      team: a.team === null ? NONE : (a.team ?? ""),
      assignee: a.assignee === null ? NONE : (a.assignee ?? ""),
    },
  };
}

function toActions(d: Draft): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(d.actions)) if (v) out[k] = v === NONE ? null : v;
  return out;
}

/** fetch JSON; throws the API's error message (with the known placeholders for a 422 on them). */
async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { "content-type": "application/json", accept: "application/json" } });
  const json = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(json?.error?.message ?? `The server answered ${res.status}.`);
  return json as T;
}

/**
 * Manage macros (canned responses) through /api/macros: the list with use counts, a form to add
 * or edit one (name, text with placeholders, internal flag, field changes) and delete. `scope`
 * "shared" (admins, /admin/macros) creates shared macros; "personal" (/settings/macros) the
 * agent's own. Macros the caller cannot edit are listed read-only.
 */
export function MacroManager({
  initial,
  scope,
  categories,
  teams,
  agents,
}: {
  initial: MacroDTO[];
  scope: "shared" | "personal";
  categories: Option[];
  teams: Option[];
  agents: Option[];
}) {
  const id = useId();
  const [macros, setMacros] = useState(initial);
  const [draft, setDraft] = useState<Draft>(toDraft(null));
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = macros.filter((m) => (scope === "shared" ? m.shared : !m.shared));
  const others = macros.filter((m) => (scope === "shared" ? !m.shared : m.shared));

  async function reload() {
    setMacros((await api<{ macros: MacroDTO[] }>("/api/macros")).macros);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const payload = { name: draft.name, body: draft.body, internal: draft.internal, actions: toActions(draft) };
      if (draft.id) await api(`/api/macros/${draft.id}`, { method: "PATCH", body: JSON.stringify(payload) });
      else await api("/api/macros", { method: "POST", body: JSON.stringify({ ...payload, shared: scope === "shared" }) });
      setMessage(draft.id ? `Macro “${draft.name}” saved.` : `Macro “${draft.name}” added.`);
      setDraft(toDraft(null));
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function remove(m: MacroDTO) {
    if (!window.confirm(`Delete the macro “${m.name}”?`)) return;
    setError(null);
    try {
      await api(`/api/macros/${m.id}`, { method: "DELETE" });
      setMessage(`Macro “${m.name}” deleted.`);
      if (draft.id === m.id) setDraft(toDraft(null));
      await reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const setAction = (f: ActionField, v: string) => setDraft((d) => ({ ...d, actions: { ...d.actions, [f]: v } }));
  const select = (f: ActionField, label: string, options: Option[], clearLabel?: string) => (
    <div>
      <label htmlFor={`${id}-${f}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={`${id}-${f}`} value={draft.actions[f]} onChange={(e) => setAction(f, e.target.value)} className={cx(controlClass, "py-1")}>
        <option value="">Leave unchanged</option>
        {clearLabel ? <option value={NONE}>{clearLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );

  const list = (items: MacroDTO[], caption: string, testId: string) => (
    <table className="w-full text-left text-sm" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-slate-50 text-xs text-slate-700">
        <tr>
          <th scope="col" className="px-3 py-2 font-semibold">Name</th>
          <th scope="col" className="px-3 py-2 font-semibold">Text</th>
          <th scope="col" className="px-3 py-2 font-semibold">Uses</th>
          <th scope="col" className="px-3 py-2 font-semibold"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-200">
        {items.map((m) => (
          <tr key={m.id} className="align-top">
            <th scope="row" className="px-3 py-2 font-medium text-slate-900">
              {m.name}
              {m.internal ? <span className="ml-1 rounded bg-amber-100 px-1 text-xs font-normal text-amber-900">note</span> : null}
            </th>
            <td className="max-w-md px-3 py-2 text-slate-700">
              <span className="line-clamp-2 whitespace-pre-wrap">{m.body}</span>
            </td>
            <td className="px-3 py-2 tabular-nums text-slate-700">{m.usageCount}</td>
            <td className="whitespace-nowrap px-3 py-2 text-right">
              {m.editable ? (
                <>
                  <Button size="sm" variant="ghost" onClick={() => setDraft(toDraft(m))} aria-label={`Edit ${m.name}`}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => void remove(m)} aria-label={`Delete ${m.name}`}>
                    Delete
                  </Button>
                </>
              ) : (
                <span className="text-xs text-slate-600">Read-only</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-3">
      <div className="min-w-0 space-y-5 lg:col-span-2">
        <section aria-labelledby={`${id}-mine`} className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
          <h2 id={`${id}-mine`} className="border-b border-slate-200 px-4 py-3 text-base font-semibold text-slate-900">
            {scope === "shared" ? "Shared macros" : "My macros"} ({mine.length})
          </h2>
          {mine.length ? <div className="overflow-x-auto">{list(mine, scope === "shared" ? "Shared macros" : "My macros", "macro-table")}</div> : <p className="px-4 py-3 text-sm text-slate-600">None yet.</p>}
        </section>
        {others.length ? (
          <section aria-labelledby={`${id}-others`} className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
            <h2 id={`${id}-others`} className="border-b border-slate-200 px-4 py-3 text-base font-semibold text-slate-900">
              {scope === "shared" ? "My personal macros" : "Shared macros"} ({others.length})
            </h2>
            <div className="overflow-x-auto">{list(others, scope === "shared" ? "My personal macros" : "Shared macros", "macro-table-others")}</div>
          </section>
        ) : null}
      </div>

      <form onSubmit={(e) => void onSubmit(e)} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby={`${id}-form-h`}>
        <h2 id={`${id}-form-h`} className="text-base font-semibold text-slate-900">
          {draft.id ? `Edit “${draft.name || "macro"}”` : scope === "shared" ? "Add a shared macro" : "Add a personal macro"}
        </h2>
        <div>
          <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-800">
            Name
          </label>
          <input id={`${id}-name`} required maxLength={80} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} className={controlClass} />
        </div>
        <div>
          <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-800">
            Text
          </label>
          <textarea
            id={`${id}-body`}
            required
            rows={6}
            value={draft.body}
            onChange={(e) => setDraft({ ...draft, body: e.target.value })}
            aria-describedby={`${id}-placeholders`}
            className={controlClass}
          />
          <p id={`${id}-placeholders`} className="mt-1 text-xs text-slate-600">
            Placeholders: {PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <input id={`${id}-internal`} type="checkbox" checked={draft.internal} onChange={(e) => setDraft({ ...draft, internal: e.target.checked })} className="h-4 w-4 rounded border-slate-400" />
          <label htmlFor={`${id}-internal`} className="text-sm text-slate-800">
            Insert as an internal note
          </label>
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold text-slate-900">Also set on send</legend>
          {select("status", "Status", STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] })))}
          {draft.actions.status === "waiting" ? select("waitingReason", "Waiting on", WAITING_REASONS.map((w) => ({ value: w, label: WAITING_REASON_LABEL[w] }))) : null}
          {select("priority", "Priority", PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] })))}
          {select("category", "Category", categories)}
          {select("team", "Team", teams, "No team")}
          {select("assignee", "Assignee", agents, "Unassigned")}
        </fieldset>
        <div role="alert" className="empty:absolute">{error ? <Alert tone="error">{error}</Alert> : null}</div>
        <div role="status" className="text-sm empty:absolute">{message ? <p className="font-medium text-emerald-800">{message}</p> : null}</div>
        <div className="flex justify-end gap-2">
          {draft.id ? (
            <Button variant="ghost" size="sm" onClick={() => setDraft(toDraft(null))}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" size="sm" disabled={busy}>
            {busy ? "Saving…" : draft.id ? "Save macro" : "Add macro"}
          </Button>
        </div>
      </form>
    </div>
  );
}
