"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import type { WatcherState } from "./watcher-actions";

/**
 * "Watchers (CC)" on the agent ticket page: people who get every public message of the ticket
 * by mail (never internal notes). Lists them with a Remove button each, and adds one by address.
 */
export function WatchersCard({ watchers, action }: { watchers: { email: string; addedBy: string | null }[]; action: (prev: WatcherState, input: unknown) => Promise<WatcherState> }) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [email, setEmail] = useState("");
  const [cleared, setCleared] = useState<WatcherState | null>(null);
  if (state.status === "success" && state.data.op === "add" && cleared !== state) {
    setCleared(state);
    setEmail("");
  }
  const error = state.status === "error" ? state.fieldErrors.email : undefined;

  function submit(input: { op: "add" | "remove"; email: string }) {
    startTransition(() => dispatch(input));
  }
  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    submit({ op: "add", email });
  }

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader>
        <h2 id={`${id}-h`} className="text-sm font-semibold">
          Watchers (CC)
        </h2>
      </CardHeader>
      <div className="space-y-3 px-4 py-3 text-sm" aria-busy={pending}>
        <FormMessages state={state} hasClientErrors={false} />
        {watchers.length === 0 ? (
          <p className="text-slate-600">Nobody in copy.</p>
        ) : (
          <ul className="space-y-1" data-testid="watchers">
            {watchers.map((w) => (
              <li key={w.email} className="flex items-center justify-between gap-2">
                <span className="min-w-0 break-all text-slate-900">{w.email}</span>
                <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => submit({ op: "remove", email: w.email })} aria-label={`Remove ${w.email}`}>
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={onAdd} noValidate className="space-y-1">
          <Label htmlFor={`${id}-email`}>Add a watcher</Label>
          <div className="flex gap-2">
            <input
              id={`${id}-email`}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              maxLength={254}
              autoComplete="off"
              className={cx(controlClass, "min-w-0 flex-1")}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
            />
            <Button type="submit" size="sm" variant="secondary" disabled={pending}>
              Add
            </Button>
          </div>
          <Hint id={`${id}-hint`}>They get every public reply by mail, never internal notes.</Hint>
          <FieldError id={`${id}-error`} message={error} />
        </form>
      </div>
    </Card>
  );
}
