"use client";

import Link from "next/link";
import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import type { Status } from "@/db/schema/enums";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { MergeBodySchema, type MergeState } from "@/lib/tickets/links-schema";

type Ref = { key: string; title: string; status: Status };

const linkClass = "font-mono text-brand-700 underline underline-offset-2 hover:text-brand-900";

/**
 * "Merge" on the agent ticket page: "Merged into T-x" / "Merged from T-y, …", and, while the
 * ticket is neither closed nor merged, "Merge this ticket into…" with a key input and a
 * confirmation step naming what happens (comments move, this ticket closes with a reply).
 */
export function MergeCard({
  ticketKey,
  canMerge,
  into,
  from,
  action,
}: {
  ticketKey: string;
  canMerge: boolean;
  into: Ref | null;
  from: Ref[];
  action: (prev: MergeState, input: unknown) => Promise<MergeState>;
}) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [target, setTarget] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const error = clientError ?? (state.status === "error" ? state.fieldErrors.into : undefined);

  function onReview(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = MergeBodySchema.safeParse({ into: target });
    if (!parsed.success) return setClientError("Enter a ticket key like T-123");
    if (parsed.data.into === ticketKey) return setClientError("A ticket cannot be merged into itself");
    setClientError(null);
    setConfirming(parsed.data.into);
  }
  function onConfirm() {
    if (!confirming) return;
    const into = confirming;
    setConfirming(null);
    startTransition(() => dispatch({ into }));
  }

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader>
        <h2 id={`${id}-h`} className="text-sm font-semibold">
          Merge
        </h2>
      </CardHeader>
      <div className="space-y-3 px-4 py-3 text-sm" aria-busy={pending}>
        <FormMessages state={state} hasClientErrors={clientError !== null} />
        {into ? (
          <p data-testid="merged-into">
            Merged into{" "}
            <Link href={`/tickets/${into.key}`} className={linkClass}>
              {into.key}
            </Link>{" "}
            <span className="text-slate-700">{into.title}</span>
          </p>
        ) : null}
        {from.length ? (
          <p data-testid="merged-from">
            Merged from{" "}
            {from.map((f, i) => (
              <span key={f.key}>
                {i > 0 ? ", " : null}
                <Link href={`/tickets/${f.key}`} className={linkClass} title={f.title}>
                  {f.key}
                </Link>
              </span>
            ))}
          </p>
        ) : null}
        {canMerge ? (
          <form onSubmit={onReview} noValidate className="space-y-1">
            <Label htmlFor={`${id}-into`}>Merge this ticket into…</Label>
            <div className="flex gap-2">
              <input
                id={`${id}-into`}
                value={target}
                onChange={(e) => {
                  setTarget(e.target.value);
                  setConfirming(null);
                  setClientError(null);
                }}
                placeholder="T-123"
                maxLength={20}
                autoComplete="off"
                className={cx(controlClass, "min-w-0 flex-1 font-mono")}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
              />
              <Button type="submit" size="sm" variant="secondary" disabled={pending}>
                Merge…
              </Button>
            </div>
            <Hint id={`${id}-hint`}>For a duplicate: its comments move to the primary ticket, and this one closes with a reply to its requester.</Hint>
            <FieldError id={`${id}-error`} message={error} />
          </form>
        ) : !into ? (
          <p className="text-slate-600">Closed tickets cannot be merged.</p>
        ) : null}
        {confirming ? (
          <div role="group" aria-labelledby={`${id}-confirm`} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2" data-testid="merge-confirm">
            <p id={`${id}-confirm`} className="text-amber-950">
              Merge {ticketKey} into {confirming}? Its comments move to {confirming}, and {ticketKey} is closed with a reply to its requester. This cannot be undone.
            </p>
            <div className="flex gap-2">
              <Button size="sm" variant="danger" onClick={onConfirm} disabled={pending}>
                Merge into {confirming}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                Cancel
              </Button>
            </div>
          </div>
        ) : null}
      </div>
    </Card>
  );
}
