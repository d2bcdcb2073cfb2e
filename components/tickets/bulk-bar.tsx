"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { PRIORITIES, STATUSES, WAITING_REASONS, type WaitingReason } from "@/db/schema/enums";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, Label } from "@/components/ui/field";
import { BulkBodySchema, type BulkAction, type BulkResult } from "@/lib/tickets/bulk-schema";
import { bulkSummaryText } from "@/lib/tickets/bulk-summary";
import { PRIORITY_LABEL, STATUS_LABEL, WAITING_REASON_LABEL } from "./labels";

type Option = { value: string; label: string };
type Kind = BulkAction["type"];

const KINDS: { value: Kind; label: string }[] = [
  { value: "assign", label: "Assign to" },
  { value: "status", label: "Set status" },
  { value: "priority", label: "Set priority" },
  { value: "category", label: "Set category" },
  { value: "team", label: "Set team" },
  { value: "merge", label: "Merge into one" },
  { value: "close", label: "Close with a note" },
];

const NONE = "__none__";

export interface BulkBarProps {
  /** Keys of the selected rows, e.g. ["T-4", "T-9"]. */
  selectedKeys: string[];
  /**
   * Called with the result when the agent closes the result summary ("Done") after a request
   * that reached the server (also on partial failure); the list clears its selection then.
   * Until then the bar stays, so the summary is not lost when the list refreshes.
   */
  onDone: (result: BulkResult) => void;
  agents: Option[];
  categories: Option[];
  teams: Option[];
}

/**
 * The bulk action bar above the ticket list (shown while rows are selected): pick an action
 * and its value, confirm, and it calls POST /api/tickets/bulk. The outcome ("3 updated,
 * 1 failed: T-9 …", with each failure's reason) is announced in a polite live region and stays
 * until the agent presses Done; a request-level error (400/403/422) shows in an alert.
 * Refreshes the server-rendered list after each applied action.
 */
export function BulkBar({ selectedKeys, onDone, agents, categories, teams }: BulkBarProps) {
  const id = useId();
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("assign");
  const [value, setValue] = useState("");
  const [waitingReason, setWaitingReason] = useState<WaitingReason>("requester");
  const [note, setNote] = useState("");
  const [isPublic, setIsPublic] = useState(false);
  const [confirming, setConfirming] = useState<BulkAction | null>(null);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const n = selectedKeys.length;

  const choices: Option[] | null =
    kind === "assign"
      ? [{ value: NONE, label: "Unassigned" }, ...agents]
      : kind === "team"
        ? [{ value: NONE, label: "No team" }, ...teams]
        : kind === "status"
          ? STATUSES.filter((s) => s !== "new").map((s) => ({ value: s, label: STATUS_LABEL[s] }))
          : kind === "priority"
            ? PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))
            : kind === "category"
              ? categories
              : kind === "merge"
                ? selectedKeys.map((k) => ({ value: k, label: k }))
                : null;
  const chosen = choices?.some((c) => c.value === value) ? value : (choices?.[0]?.value ?? "");

  function build(): BulkAction | string {
    const orNull = (v: string) => (v === NONE ? null : v);
    const action = {
      assign: { type: "assign", assignee: orNull(chosen) },
      team: { type: "team", team: orNull(chosen) },
      status: { type: "status", status: chosen, ...(chosen === "waiting" ? { waitingReason } : {}) },
      priority: { type: "priority", priority: chosen },
      category: { type: "category", category: chosen },
      merge: { type: "merge", into: chosen },
      close: { type: "close", note, public: isPublic },
    }[kind];
    const parsed = BulkBodySchema.safeParse({ keys: selectedKeys, action });
    return parsed.success ? parsed.data.action : (parsed.error.issues[0]?.message ?? "Check the action");
  }

  function onReview(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const a = build();
    if (typeof a === "string") {
      setError(a);
      return;
    }
    setError(null);
    setConfirming(a);
  }

  async function apply(action: BulkAction) {
    setPending(true);
    setError(null);
    try {
      const res = await fetch("/api/tickets/bulk", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ keys: selectedKeys, action }),
      });
      const body = (await res.json().catch(() => null)) as (BulkResult & { error?: { message: string } }) | null;
      if (!res.ok || !body?.results) {
        setError(body?.error?.message ?? `The request failed (${res.status})`);
        return;
      }
      setResult(body);
      setConfirming(null);
      router.refresh();
    } catch {
      setError("The server could not be reached; nothing was changed.");
    } finally {
      setPending(false);
    }
  }

  const actionLabel = KINDS.find((k) => k.value === kind)!.label;
  const valueLabel = kind === "close" ? null : (choices?.find((c) => c.value === chosen)?.label ?? null);
  const failures = result?.results.filter((r) => !r.ok) ?? [];

  return (
    <section aria-labelledby={`${id}-h`} className="rounded-md border border-brand-200 bg-brand-50 px-3 py-2" data-testid="bulk-bar">
      <h2 id={`${id}-h`} className="sr-only">
        Bulk actions
      </h2>
      <form onSubmit={onReview} noValidate className="flex flex-wrap items-end gap-2">
        <p className="self-center text-sm font-medium text-slate-900">
          {n} selected
        </p>
        <div>
          <Label htmlFor={`${id}-kind`} className="text-xs">
            Action
          </Label>
          <select id={`${id}-kind`} className={cx(controlClass, "w-auto")} value={kind} onChange={(e) => { setKind(e.target.value as Kind); setValue(""); setConfirming(null); }}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        {choices ? (
          <div>
            <Label htmlFor={`${id}-value`} className="text-xs">
              {kind === "merge" ? "Primary ticket" : "Value"}
            </Label>
            <select id={`${id}-value`} className={cx(controlClass, "w-auto max-w-56")} value={chosen} onChange={(e) => { setValue(e.target.value); setConfirming(null); }}>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {kind === "status" && chosen === "waiting" ? (
          <div>
            <Label htmlFor={`${id}-reason`} className="text-xs">
              Waiting on
            </Label>
            <select id={`${id}-reason`} className={cx(controlClass, "w-auto")} value={waitingReason} onChange={(e) => setWaitingReason(e.target.value as WaitingReason)}>
              {WAITING_REASONS.map((r) => (
                <option key={r} value={r}>
                  {WAITING_REASON_LABEL[r]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {kind === "close" ? (
          <div className="flex min-w-64 flex-1 flex-wrap items-end gap-2">
            <div className="min-w-48 flex-1">
              <Label htmlFor={`${id}-note`} className="text-xs">
                Closing note
              </Label>
              <input id={`${id}-note`} className={controlClass} value={note} onChange={(e) => { setNote(e.target.value); setConfirming(null); }} maxLength={10000} />
            </div>
            <label className="flex items-center gap-1.5 pb-1.5 text-sm text-slate-800">
              <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} />
              Send to the requesters as a public reply
            </label>
          </div>
        ) : null}
        <Button type="submit" size="md" variant="secondary" disabled={pending || n === 0}>
          Review
        </Button>
      </form>

      {confirming ? (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-900" data-testid="bulk-confirm">
          <p>
            {actionLabel}
            {valueLabel ? ` ${valueLabel}` : ""} on {confirming.type === "merge" ? `${n - (selectedKeys.includes(confirming.into) ? 1 : 0)} tickets` : n === 1 ? "1 ticket" : `${n} tickets`}?
            {confirming.type === "merge" ? " Their comments move to the primary and they are closed." : ""}
          </p>
          <Button size="sm" variant={confirming.type === "close" || confirming.type === "merge" ? "danger" : "primary"} disabled={pending} onClick={() => void apply(confirming)}>
            {pending ? "Applying…" : "Confirm"}
          </Button>
          <Button size="sm" variant="ghost" disabled={pending} onClick={() => setConfirming(null)}>
            Cancel
          </Button>
        </div>
      ) : null}

      {error ? (
        <Alert tone="error" live className="mt-2">
          {error}
        </Alert>
      ) : null}
      <div role="status" aria-live="polite" className="mt-1 flex flex-wrap items-center gap-2 text-sm" data-testid="bulk-summary">
        {result ? <p className="font-medium text-slate-900">{bulkSummaryText(result)}</p> : null}
      </div>
      {failures.length ? (
        <ul className="mt-1 list-disc pl-5 text-sm text-red-800" data-testid="bulk-failures">
          {failures.map((f) => (
            <li key={f.key}>
              <span className="font-mono">{f.key}</span>: {f.error?.message}
            </li>
          ))}
        </ul>
      ) : null}
      {result ? (
        <Button
          size="sm"
          variant="ghost"
          className="mt-1"
          onClick={() => {
            setResult(null);
            onDone(result);
          }}
        >
          Done
        </Button>
      ) : null}
    </section>
  );
}
