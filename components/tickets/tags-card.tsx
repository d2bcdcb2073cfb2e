"use client";

import { startTransition, useActionState, useEffect, useId, useState, type FormEvent } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { TagSchema, TAGS_PER_TICKET, type TagsState } from "@/lib/tickets/tags-schema";

/**
 * "Tags" on the agent ticket page: the ticket's tags with a Remove button each, and an input
 * that adds one (suggestions from GET /api/tags?prefix= in a datalist). Every change saves the
 * whole list through `action` (PUT semantics).
 */
export function TagsCard({ tags, action }: { tags: string[]; action: (prev: TagsState, input: unknown) => Promise<TagsState> }) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [draft, setDraft] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [cleared, setCleared] = useState<TagsState | null>(null);
  if (state.status === "success" && cleared !== state) {
    setCleared(state);
    setDraft("");
  }
  const prefix = draft.trim().toLowerCase();

  useEffect(() => {
    if (!/^[a-z0-9._-]{1,40}$/.test(prefix)) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/tags?prefix=${encodeURIComponent(prefix)}&limit=10`, { signal: ctrl.signal, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then((b: { tags?: { tag: string }[] } | null) => setSuggestions((b?.tags ?? []).map((t) => t.tag).filter((t) => !tags.includes(t))))
        .catch(() => undefined);
    }, 150);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [prefix, tags]);

  function save(next: string[]) {
    startTransition(() => dispatch({ tags: next }));
  }
  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = TagSchema.safeParse(draft);
    if (!parsed.success) {
      setClientError(parsed.error.issues[0]?.message ?? "Check the tag");
      return;
    }
    if (!tags.includes(parsed.data) && tags.length >= TAGS_PER_TICKET) {
      setClientError(`A ticket can have at most ${TAGS_PER_TICKET} tags`);
      return;
    }
    setClientError(null);
    save([...tags.filter((t) => t !== parsed.data), parsed.data]);
  }
  const error = clientError ?? (state.status === "error" ? state.fieldErrors.tags : undefined);

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader>
        <h2 id={`${id}-h`} className="text-sm font-semibold">
          Tags
        </h2>
      </CardHeader>
      <div className="space-y-3 px-4 py-3 text-sm" aria-busy={pending}>
        <FormMessages state={state} hasClientErrors={clientError !== null} />
        {tags.length === 0 ? (
          <p className="text-slate-600">No tags.</p>
        ) : (
          <ul className="flex flex-wrap gap-1.5" data-testid="ticket-tags">
            {tags.map((t) => (
              <li key={t} className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2.5 pr-1 text-xs font-medium text-slate-800">
                {t}
                <button
                  type="button"
                  className="rounded-full px-1 text-slate-600 hover:bg-slate-200 hover:text-slate-900 focus:outline-none focus:ring-2 focus:ring-brand-600/40"
                  aria-label={`Remove tag ${t}`}
                  disabled={pending}
                  onClick={() => save(tags.filter((x) => x !== t))}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={onAdd} noValidate className="space-y-1">
          <Label htmlFor={`${id}-tag`}>Add a tag</Label>
          <div className="flex gap-2">
            <input
              id={`${id}-tag`}
              value={draft}
              onChange={(e) => {
                setDraft(e.target.value);
                setClientError(null);
              }}
              list={`${id}-suggest`}
              maxLength={40}
              autoComplete="off"
              className={cx(controlClass, "min-w-0 flex-1")}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
            />
            <datalist id={`${id}-suggest`}>
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
            <Button type="submit" size="sm" variant="secondary" disabled={pending}>
              Add
            </Button>
          </div>
          <Hint id={`${id}-hint`}>Lower-case letters, digits, dots, dashes; up to {TAGS_PER_TICKET} per ticket.</Hint>
          <FieldError id={`${id}-error`} message={error} />
        </form>
      </div>
    </Card>
  );
}
