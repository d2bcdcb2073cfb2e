"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import type { UpdateCategoryState } from "./form-state";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass } from "@/components/ui/field";

export interface CategoryRowData {
  slug: string;
  name: string;
  description: string;
  team: string;
  active: boolean;
}

/**
 * One category in the admin table, with its own small form: the team it routes to and whether
 * it is active (offered on /submit). Sends only what changed; the row shows the saved values
 * when the page re-renders after the save.
 */
export function CategoryRow({
  category,
  teams,
  action,
}: {
  category: CategoryRowData;
  teams: { slug: string; name: string }[];
  action: (prev: UpdateCategoryState, input: unknown) => Promise<UpdateCategoryState>;
}) {
  const id = useId();
  const formId = `${id}-form`;
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [team, setTeam] = useState(category.team);
  const [active, setActive] = useState(category.active);
  const [note, setNote] = useState<string | null>(null);
  const version = `${category.team}|${category.active}`;
  const [seen, setSeen] = useState(version);

  // Saved (here or in another tab): show the stored values.
  if (version !== seen) {
    setSeen(version);
    setTeam(category.team);
    setActive(category.active);
  }

  const patch: { team?: string; active?: boolean } = {};
  if (team !== category.team) patch.team = team;
  if (active !== category.active) patch.active = active;
  const dirty = Object.keys(patch).length > 0;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!dirty) {
      setNote("No change to save.");
      return;
    }
    setNote(null);
    startTransition(() => dispatch(patch));
  }

  const teamError = state.status === "error" ? state.fieldErrors.team : undefined;
  const message = note ?? (state.status === "success" && !dirty ? state.message : null);

  return (
    <tr className={cx("align-top", dirty ? "bg-amber-50" : !category.active && "bg-slate-50")} data-testid={`category-row-${category.slug}`}>
      <th scope="row" className="px-3 py-2.5 text-left font-normal">
        <span className={cx("font-medium", category.active ? "text-slate-900" : "text-slate-600")}>{category.name}</span>
        {category.description ? <span className="mt-0.5 block max-w-xs text-xs text-slate-600">{category.description}</span> : null}
      </th>
      <td className="px-3 py-2.5 font-mono text-xs text-slate-700">{category.slug}</td>
      <td className="px-3 py-2.5">
        <label htmlFor={`${id}-team`} className="sr-only">
          Team for {category.name}
        </label>
        <select
          id={`${id}-team`}
          form={formId}
          value={team}
          onChange={(e) => {
            setNote(null);
            setTeam(e.target.value);
          }}
          aria-invalid={teamError ? true : undefined}
          aria-describedby={teamError ? `${id}-error` : undefined}
          className={cx(controlClass, "min-w-44 py-1")}
        >
          {teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2.5">
        <div className="flex items-center gap-2 pt-1">
          <input
            id={`${id}-active`}
            form={formId}
            type="checkbox"
            checked={active}
            onChange={(e) => {
              setNote(null);
              setActive(e.target.checked);
            }}
            className="h-4 w-4 rounded border-slate-400 text-brand-600"
          />
          <label htmlFor={`${id}-active`} className="text-sm text-slate-800">
            <span className="sr-only">{category.name} </span>Active
          </label>
        </div>
      </td>
      <td className="px-3 py-2.5">
        <form id={formId} onSubmit={onSubmit} className="relative flex flex-col items-start gap-1" aria-label={`Routing of ${category.name}`}>
          <Button type="submit" size="sm" variant={dirty ? "primary" : "secondary"} disabled={pending}>
            {pending ? "Saving…" : "Save"}
            <span className="sr-only"> {category.name}</span>
          </Button>
          <p role="status" className={cx("max-w-48 text-xs empty:absolute", note ? "text-slate-700" : "font-medium text-emerald-800")}>
            {message && !pending ? message : null}
          </p>
          <p role="alert" id={`${id}-error`} className="max-w-48 text-xs font-medium text-red-700 empty:absolute">
            {state.status === "error" && !pending ? state.message : null}
          </p>
        </form>
      </td>
    </tr>
  );
}
