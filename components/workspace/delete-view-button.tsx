"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { cx } from "@/components/ui/cx";

/**
 * Delete a saved view in two steps (× then "Delete?"), through DELETE /api/views/{id}. Deleting
 * the open view goes back to the default view; an error is announced.
 */
export function DeleteViewButton({ id, name, active }: { id: string; name: string; active: boolean }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function remove() {
    setPending(true);
    setError(null);
    const res = await fetch(`/api/views/${encodeURIComponent(id)}`, { method: "DELETE" });
    setPending(false);
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Could not delete the view (${res.status})`);
      return;
    }
    setAsking(false);
    if (active) router.push("/tickets");
    router.refresh();
  }

  const small = "shrink-0 rounded px-1.5 py-1 text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600";
  return (
    <>
      {asking ? (
        <button type="button" onClick={remove} disabled={pending} className={cx(small, "bg-red-700 font-medium text-white hover:bg-red-800")}>
          {pending ? "Deleting…" : "Delete?"}
        </button>
      ) : (
        <button type="button" onClick={() => setAsking(true)} aria-label={`Delete view ${name}`} className={cx(small, "text-slate-600 hover:bg-slate-100 hover:text-red-800")}>
          <span aria-hidden="true">×</span>
        </button>
      )}
      {error ? (
        <span role="alert" className="sr-only">
          {error}
        </span>
      ) : null}
    </>
  );
}
