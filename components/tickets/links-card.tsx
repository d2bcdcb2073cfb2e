"use client";

import Link from "next/link";
import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import type { Status } from "@/db/schema/enums";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import type { LinkState } from "@/lib/tickets/links-schema";
import { StatusBadge } from "./badges";

/**
 * "Related tickets" on the agent ticket page: tickets linked to this one (either direction)
 * with key, title and status and a Remove button each, and a key input that adds a link.
 */
export function LinksCard({ links, action }: { links: { key: string; title: string; status: Status }[]; action: (prev: LinkState, input: unknown) => Promise<LinkState> }) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [key, setKey] = useState("");
  const [cleared, setCleared] = useState<LinkState | null>(null);
  if (state.status === "success" && state.data.op === "add" && cleared !== state) {
    setCleared(state);
    setKey("");
  }
  const error = state.status === "error" ? state.fieldErrors.key : undefined;

  function submit(input: { op: "add" | "remove"; key: string }) {
    startTransition(() => dispatch(input));
  }
  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    submit({ op: "add", key });
  }

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader>
        <h2 id={`${id}-h`} className="text-sm font-semibold">
          Related tickets
        </h2>
      </CardHeader>
      <div className="space-y-3 px-4 py-3 text-sm" aria-busy={pending}>
        <FormMessages state={state} hasClientErrors={false} />
        {links.length === 0 ? (
          <p className="text-slate-600">No related tickets.</p>
        ) : (
          <ul className="space-y-2" data-testid="related-tickets">
            {links.map((l) => (
              <li key={l.key} className="flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <Link href={`/tickets/${l.key}`} className="font-mono text-brand-700 underline underline-offset-2 hover:text-brand-900">
                    {l.key}
                  </Link>{" "}
                  <span className="break-words text-slate-900">{l.title}</span>
                  <div className="mt-0.5">
                    <StatusBadge status={l.status} />
                  </div>
                </div>
                <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => submit({ op: "remove", key: l.key })} aria-label={`Remove the link to ${l.key}`}>
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={onAdd} noValidate className="space-y-1">
          <Label htmlFor={`${id}-key`}>Link a related ticket</Label>
          <div className="flex gap-2">
            <input
              id={`${id}-key`}
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder="T-123"
              maxLength={20}
              autoComplete="off"
              className={cx(controlClass, "min-w-0 flex-1 font-mono")}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
            />
            <Button type="submit" size="sm" variant="secondary" disabled={pending}>
              Link
            </Button>
          </div>
          <Hint id={`${id}-hint`}>The link shows on both tickets.</Hint>
          <FieldError id={`${id}-error`} message={error} />
        </form>
      </div>
    </Card>
  );
}
