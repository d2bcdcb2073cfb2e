"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessages } from "@/components/ui/alert";
import type { OptionalMailKind } from "@/lib/mail/kinds";
import { UpdatePreferencesSchema } from "@/lib/mail/schemas";

type Entry = { kind: OptionalMailKind; label: string; enabled: boolean };
type State = { status: "idle" } | { status: "error"; message: string } | { status: "success"; message: string };

/**
 * One checkbox per kind of mail; Save sends the changed kinds to PUT /api/mail/preferences
 * (validated first with the same UpdatePreferencesSchema the route uses).
 */
export function PreferencesForm({ initial }: { initial: Entry[] }) {
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState<Record<string, boolean>>(Object.fromEntries(initial.map((e) => [e.kind, e.enabled])));
  const [state, setState] = useState<State>({ status: "idle" });
  const [pending, setPending] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const changed = Object.fromEntries(saved.filter((s) => values[s.kind] !== s.enabled).map((s) => [s.kind, values[s.kind]]));
    if (Object.keys(changed).length === 0) {
      setState({ status: "success", message: "Nothing changed." });
      return;
    }
    const parsed = UpdatePreferencesSchema.safeParse(changed);
    if (!parsed.success) {
      setState({ status: "error", message: parsed.error.issues[0]?.message ?? "These settings cannot be saved." });
      return;
    }
    setPending(true);
    try {
      const res = await fetch("/api/mail/preferences", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(parsed.data) });
      const body = (await res.json().catch(() => null)) as { kinds?: Entry[]; error?: { message?: string } } | null;
      if (!res.ok || !body?.kinds) {
        setState({ status: "error", message: res.status === 401 ? "Your session has ended. Sign in again to continue." : (body?.error?.message ?? "Could not save; please try again.") });
        return;
      }
      setSaved(body.kinds);
      setValues(Object.fromEntries(body.kinds.map((k) => [k.kind, k.enabled])));
      setState({ status: "success", message: "Mail settings saved." });
    } catch {
      setState({ status: "error", message: "Could not reach Switchboard; please try again." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={save} className="space-y-4" aria-label="Mail settings">
      <fieldset>
        <legend className="text-sm font-semibold text-slate-900">Send me a mail when…</legend>
        <ul className="mt-2 divide-y divide-slate-200">
          {saved.map((e) => (
            <li key={e.kind} className="flex items-center gap-3 py-2">
              <input
                id={`pref-${e.kind}`}
                type="checkbox"
                className="h-4 w-4"
                checked={values[e.kind] ?? true}
                onChange={(ev) => setValues((v) => ({ ...v, [e.kind]: ev.target.checked }))}
              />
              <label htmlFor={`pref-${e.kind}`} className="text-sm text-slate-800">
                {e.label}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <FormMessages state={state} hasClientErrors={false} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
