"use client";

import { useRouter } from "next/navigation";
import { useId, type FormEvent } from "react";
import { Button, LinkButton } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { cx } from "@/components/ui/cx";
import { PRIORITIES, STATUSES } from "@/db/schema/enums";
import { PRIORITY_LABEL, STATUS_LABEL } from "./labels";

interface Option {
  value: string;
  label: string;
}

const ACTIVE = "new,open,in_progress,waiting";
/** Parameters the form has a field for; any other current parameter is kept as a hidden field. */
const FORM_FIELDS = new Set(["q", "status", "priority", "category", "team", "assignee", "sla", "tag", "sort", "needsReview", "cursor", "before", "view"]);
const URGENT = "P1,P2";

/**
 * The ticket list filters. A plain GET form (works without JavaScript); with JavaScript it
 * drops empty fields so URLs stay short. All state lives in the URL.
 */
export function TicketFilters({
  action,
  current,
  categories,
  teams,
  agents,
}: {
  action: string;
  current: Record<string, string>;
  categories: Option[];
  teams: Option[];
  agents: Option[];
}) {
  const router = useRouter();
  const id = useId();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const qs = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) {
      if (typeof v === "string" && v.trim() !== "") qs.set(k, v.trim());
    }
    const s = qs.toString();
    router.push(s ? `${action}?${s}` : action);
  }

  const statusOptions: Option[] = [
    { value: "", label: "Any status" },
    { value: ACTIVE, label: "Active (not resolved)" },
    ...STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] })),
  ];
  const priorityOptions: Option[] = [
    { value: "", label: "Any priority" },
    { value: URGENT, label: "P1–P2 (urgent)" },
    ...PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] })),
  ];
  const assigneeOptions: Option[] = [
    { value: "", label: "Anyone" },
    { value: "me", label: "Assigned to me" },
    { value: "none", label: "Unassigned" },
    ...agents,
  ];

  const slaOptions: Option[] = [
    { value: "", label: "Any SLA state" },
    { value: "at_risk", label: "At risk" },
    { value: "breached", label: "Breached" },
  ];
  const sortOptions: Option[] = [
    { value: "", label: "Newest first" },
    { value: "updated", label: "Recently updated" },
    { value: "priority", label: "Priority (P1 first)" },
    { value: "due", label: "Due first (SLA)" },
  ];

  const select = (name: string, label: string, options: Option[]) => {
    const value = current[name] ?? "";
    const known = options.some((o) => o.value === value);
    return (
      <div className="min-w-0">
        <label htmlFor={`${id}-${name}`} className="block text-xs font-medium text-slate-700">
          {label}
        </label>
        <select id={`${id}-${name}`} name={name} defaultValue={value} className={cx(controlClass, "mt-1 py-1")}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {!known ? <option value={value}>Custom: {value}</option> : null}
        </select>
      </div>
    );
  };

  return (
    <form
      method="get"
      action={action}
      onSubmit={onSubmit}
      role="search"
      aria-label="Filter tickets"
      className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      // Remount when the URL changes so defaultValues follow back/forward navigation.
      key={JSON.stringify(current)}
    >
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-5">
        <div className="col-span-2 min-w-0">
          <label htmlFor={`${id}-q`} className="block text-xs font-medium text-slate-700">
            Search
          </label>
          <input
            id={`${id}-q`}
            type="search"
            name="q"
            defaultValue={current.q ?? ""}
            placeholder="Words, “a phrase”, or a key like T-12"
            className={cx(controlClass, "mt-1 py-1")}
          />
        </div>
        {select("status", "Status", statusOptions)}
        {select("priority", "Priority", priorityOptions)}
        {select("category", "Category", [{ value: "", label: "Any category" }, ...categories])}
        {select("team", "Team", [{ value: "", label: "Any team" }, ...teams])}
        {select("assignee", "Assignee", assigneeOptions)}
        {select("sla", "SLA", slaOptions)}
        <div className="min-w-0">
          <label htmlFor={`${id}-tag`} className="block text-xs font-medium text-slate-700">
            Tag
          </label>
          <input id={`${id}-tag`} name="tag" defaultValue={current.tag ?? ""} placeholder="e.g. vip" className={cx(controlClass, "mt-1 py-1")} />
        </div>
        {select("sort", "Sort by", sortOptions)}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <div className="flex items-center gap-2">
          <input
            id={`${id}-review`}
            type="checkbox"
            name="needsReview"
            value="true"
            defaultChecked={current.needsReview === "true"}
            className="h-4 w-4 rounded border-slate-400 text-brand-600"
          />
          <label htmlFor={`${id}-review`} className="text-sm text-slate-800">
            Needs triage review
          </label>
        </div>
        {/* Filters this form has no field for (a view's myTeams, resolvedFrom, …) carry over unchanged. */}
        {Object.entries(current)
          .filter(([k]) => !FORM_FIELDS.has(k))
          .map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
        <div className="ml-auto flex gap-2">
          <LinkButton href={action} variant="ghost" size="sm">
            Reset
          </LinkButton>
          <Button type="submit" size="sm">
            Apply filters
          </Button>
        </div>
      </div>
    </form>
  );
}
