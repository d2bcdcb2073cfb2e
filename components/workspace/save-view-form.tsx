"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { cx } from "@/components/ui/cx";
import { CreateViewSchema, type ViewSort } from "@/lib/workspace/view-schemas";

/**
 * "Save as view": names the list's current filters and sort as a personal view (admins may
 * make it shared), through POST /api/views, then opens it. Errors (a taken name, invalid
 * filters) are shown under the field.
 */
export function SaveViewForm({ filters, sort, canShare }: { filters: Record<string, string>; sort: ViewSort; canShare: boolean }) {
  const id = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = CreateViewSchema.safeParse({ name: String(form.get("name") ?? ""), filters, sort, shared: form.get("shared") === "on" });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Check the name");
      return;
    }
    setPending(true);
    setError(null);
    const res = await fetch("/api/views", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(parsed.data) });
    setPending(false);
    const body = (await res.json().catch(() => null)) as { view?: { id: string }; error?: { message?: string } } | null;
    if (!res.ok || !body?.view) {
      setError(body?.error?.message ?? `Could not save the view (${res.status})`);
      return;
    }
    setOpen(false);
    router.push(`/tickets?view=${encodeURIComponent(body.view.id)}`);
    router.refresh();
  }

  if (!open) {
    return (
      <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(true)}>
        Save as view
      </Button>
    );
  }
  return (
    <form onSubmit={onSubmit} aria-label="Save as view" className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
      <div className="min-w-0">
        <label htmlFor={`${id}-name`} className="block text-xs font-medium text-slate-700">
          View name
        </label>
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={80}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={cx(controlClass, "mt-1 py-1")}
        />
      </div>
      {canShare ? (
        <label className="flex items-center gap-2 pb-1.5 text-sm text-slate-800">
          <input type="checkbox" name="shared" className="h-4 w-4 rounded border-slate-400" />
          Shared with all agents
        </label>
      ) : null}
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <Button type="button" variant="ghost" size="sm" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {error ? (
        <p id={`${id}-error`} role="alert" className="w-full text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </form>
  );
}
