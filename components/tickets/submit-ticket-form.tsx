"use client";

import Link from "next/link";
import { startTransition, useActionState, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { FindingSource, SimilarTicketView, SubmitField, SubmitTicketState, SuggestionView, SuggestResult } from "./submit-form-state";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError, Hint, Label, readOnlyClass } from "@/components/ui/field";
import { PRIORITIES, type Priority, type Status } from "@/db/schema/enums";
import { CreateTicketSchema } from "@/lib/tickets/schemas";
import { ACTIVE_STATUSES } from "@/lib/tickets/status";
import { AttachmentPicker, refusedFilesMessage, useAttachmentUploads } from "./attachment-picker";
import { StatusBadge } from "./badges";
import { PRIORITY_LABEL } from "./labels";
import { DeflectionPanel } from "@/components/portal/deflection-panel";

interface Option {
  slug: string;
  name: string;
}

export interface SubmitTicketFormProps {
  submitAction: (prev: SubmitTicketState, input: unknown) => Promise<SubmitTicketState>;
  suggestAction: (input: { title?: string; description: string }) => Promise<SuggestResult>;
  /** Set when signed in: the ticket is filed under this address (read-only). */
  signedInEmail: string | null;
  categories: (Option & { teamSlug: string })[];
  teams: Option[];
  modules: Option[];
  projects: (Option & { moduleSlug: string | null })[];
  /** Signed-in users may attach files (uploads need an account); anonymous visitors see a sign-in hint. */
  canAttach: boolean;
  /** Where the "Sign in to attach files" hint links. */
  signInHref: string;
  /** Pre-filled title and description (a ticket drafted from a sheet finding). */
  initial?: { title: string; description: string } | null;
  /** The finding the draft came from: shown as a note and sent so the ticket links back to the upload. */
  source?: FindingSource | null;
}

type Values = Record<"title" | "description" | "email" | "module" | "project", string>;

/** Suggestions start once the description has this many characters (the schema's minimum). */
const MIN_SUGGEST_CHARS = 10;

export function SubmitTicketForm(props: SubmitTicketFormProps) {
  const { submitAction, suggestAction, signedInEmail, categories, teams, modules, projects, canAttach, signInHref } = props;
  const id = useId();
  const fid = (f: string) => `${id}-${f}`;

  const empty: Values = { title: "", description: "", email: signedInEmail ?? "", module: "", project: "" };
  const [values, setValues] = useState<Values>(() => ({ ...empty, ...(props.initial ?? {}) }));
  const [source, setSource] = useState<FindingSource | null>(props.source ?? null);
  const attachments = useAttachmentUploads();
  const [waitingForUploads, setWaitingForUploads] = useState(false);
  const [clientErrors, setClientErrors] = useState<Partial<Record<SubmitField, string>>>({});
  const [state, dispatch, pending] = useActionState(submitAction, { status: "idle" });
  const [dismissedKey, setDismissedKey] = useState<string | null>(null);
  // "This solved my problem" on a suggested answer: thank them instead of filing a ticket.
  const [deflected, setDeflected] = useState(false);

  // Triage suggestion
  const [suggestion, setSuggestion] = useState<SuggestionView | null>(null);
  // Possible duplicates: similar tickets the user may see that are still being worked on.
  const [duplicates, setDuplicates] = useState<SimilarTicketView[]>([]);
  const [suggestStatus, setSuggestStatus] = useState<"idle" | "loading" | "error">("idle");
  const [suggestMessage, setSuggestMessage] = useState("");
  const [category, setCategory] = useState("");
  const [priority, setPriority] = useState("");
  const lastSuggested = useRef<string>("");
  const requestSeq = useRef(0);

  const categoryName = (slug: string | null | undefined) => categories.find((c) => c.slug === slug)?.name ?? slug ?? "–";
  const teamName = (slug: string | null | undefined) => (slug ? (teams.find((t) => t.slug === slug)?.name ?? slug) : "No team");
  const teamForCategory = (slug: string) => categories.find((c) => c.slug === slug)?.teamSlug ?? null;

  const serverErrors = state.status === "error" ? state.fieldErrors : {};
  // "Files could not be attached" holds only while a refused file is still listed.
  const attachFailed = attachments.items.some((i) => i.status === "error");
  const errorOf = (f: SubmitField) => (f === "attachmentIds" && !attachFailed ? undefined : clientErrors[f]) ?? serverErrors[f];

  function update<K extends keyof Values>(key: K, value: string) {
    setValues((v) => {
      const next = { ...v, [key]: value };
      if (key === "module" && value && next.project) {
        const p = projects.find((x) => x.slug === next.project);
        if (p?.moduleSlug && p.moduleSlug !== value) next.project = "";
      }
      return next;
    });
    if (clientErrors[key as SubmitField]) setClientErrors((e) => ({ ...e, [key]: undefined }));
  }

  async function requestSuggestion() {
    const description = values.description.trim();
    if (description.length < MIN_SUGGEST_CHARS) return;
    const text = `${values.title.trim()}\n${description}`;
    if (text === lastSuggested.current) return;
    lastSuggested.current = text;
    const seq = ++requestSeq.current;
    setSuggestStatus("loading");
    setSuggestMessage("Analysing your description…");
    const res = await suggestAction({ title: values.title.trim() || undefined, description }).catch(
      (): SuggestResult => ({ ok: false, message: "Could not reach the server for a suggestion." }),
    );
    if (seq !== requestSeq.current) return; // a newer request is in flight
    if (!res.ok) {
      lastSuggested.current = "";
      setSuggestStatus("error");
      setSuggestMessage(res.message);
      return;
    }
    const s = res.suggestion;
    const open = res.similar.filter((t) => (ACTIVE_STATUSES as readonly string[]).includes(t.status));
    // Keep the requester's own choices; follow the new suggestion where they had not changed it.
    setCategory((cur) => (!suggestion || cur === suggestion.category ? s.category : cur));
    setPriority((cur) => (!suggestion || cur === suggestion.priority ? s.priority : cur));
    setSuggestion(s);
    setDuplicates(open);
    setSuggestStatus("idle");
    setSuggestMessage(
      `Suggestion ready: ${categoryName(s.category)}, ${s.priority}, ${teamName(s.team)} (${Math.round(s.confidence * 100)}% confidence).` +
        (open.length === 0 ? "" : open.length === 1 ? " 1 possible duplicate listed below." : ` ${open.length} possible duplicates listed below.`),
    );
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (waitingForUploads || pending) return;
    const input: Record<string, unknown> = {
      title: values.title,
      description: values.description,
      email: signedInEmail ?? values.email,
    };
    if (values.module) input.module = values.module;
    if (values.project) input.project = values.project;
    if (suggestion && category && category !== suggestion.category) input.category = category;
    if (suggestion && priority && priority !== suggestion.priority) input.priority = priority;

    const parsed = CreateTicketSchema.safeParse(input);
    if (!parsed.success) {
      const errs = fieldErrorsFromIssues<SubmitField>(parsed.error.issues);
      setClientErrors(errs);
      const first = (["title", "description", "email", "module", "project"] as const).find((f) => errs[f]);
      if (first) document.getElementById(fid(first))?.focus();
      return;
    }
    setClientErrors({});
    // Files still uploading: the ticket goes once they are checked.
    setWaitingForUploads(attachments.busy);
    const { ids, failed } = await attachments.settle();
    setWaitingForUploads(false);
    if (failed > 0) {
      setClientErrors({ attachmentIds: refusedFilesMessage(failed) });
      document.getElementById(fid("attachmentIds"))?.focus();
      return;
    }
    if (ids.length > 0) input.attachmentIds = ids;
    if (source) {
      input.fromUpload = source.uploadId;
      input.fromFinding = String(source.finding);
    }
    startTransition(() => dispatch(input));
  }

  function resetForm() {
    if (state.status === "success") setDismissedKey(state.data.key);
    setValues(empty);
    setSource(null);
    attachments.reset();
    setClientErrors({});
    setSuggestion(null);
    setDuplicates([]);
    setCategory("");
    setPriority("");
    setSuggestMessage("");
    lastSuggested.current = "";
    requestAnimationFrame(() => document.getElementById(fid("title"))?.focus());
  }

  // Success: show the ticket key prominently instead of the form.
  if (state.status === "success" && state.data.key !== dismissedKey) {
    const t = state.data;
    return (
      <div className="rounded-lg border border-emerald-200 bg-white p-6 shadow-sm" data-testid="submit-success">
        <div role="status">
          <h2 ref={(el) => el?.focus()} tabIndex={-1} className="text-lg font-semibold text-emerald-900 focus:outline-none">
            Ticket <span className="font-mono" data-testid="created-key">{t.key}</span> created
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            Routed to <strong className="font-semibold text-slate-900">{t.teamName ?? "the service desk"}</strong> as{" "}
            {t.categoryName}, {PRIORITY_LABEL[t.priority as Priority] ?? t.priority}.
            {t.attachments > 0 ? ` ${t.attachments === 1 ? "1 file" : `${t.attachments} files`} attached.` : ""}
          </p>
        </div>
        <p className="mt-3 text-sm text-slate-700">
          {t.trackUrl ? (
            <>
              You can follow it on{" "}
              <Link href={t.trackUrl} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                its page
              </Link>
              .
            </>
          ) : (
            <>We will reply by e-mail. Keep the key {t.key} for reference.</>
          )}
        </p>
        <Button variant="secondary" className="mt-4" onClick={resetForm}>
          Submit another ticket
        </Button>
      </div>
    );
  }

  if (deflected) {
    return (
      <div className="rounded-lg border border-emerald-200 bg-white p-6 shadow-sm" data-testid="deflection-thanks">
        <div role="status">
          <h2 ref={(el) => el?.focus()} tabIndex={-1} className="text-lg font-semibold text-emerald-900 focus:outline-none">
            Glad that helped
          </h2>
          <p className="mt-1 text-sm text-slate-700">No ticket was sent. Thank you for letting us know the answer solved your problem.</p>
        </div>
        <Button variant="secondary" className="mt-4" onClick={() => setDeflected(false)}>
          I still need help
        </Button>
      </div>
    );
  }

  const errorList = (Object.keys({ ...serverErrors, ...clientErrors }) as SubmitField[]).filter((f) => errorOf(f));
  const filteredProjects = values.module ? projects.filter((p) => !p.moduleSlug || p.moduleSlug === values.module) : projects;
  const displayedTeam = suggestion ? (category ? teamForCategory(category) : suggestion.team) : null;

  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      aria-busy={pending || waitingForUploads}
    >
      <div role="alert" className="empty:absolute">
        {state.status === "error" || errorList.length > 0 ? (
          <Alert tone="error" title={state.status === "error" ? state.message : "Please correct the highlighted fields."}>
            {errorList.length > 0 ? (
              <ul className="mt-1 list-disc pl-5">
                {errorList.map((f) => (
                  <li key={f}>
                    <a href={`#${fid(f)}`} className="underline underline-offset-2">
                      {errorOf(f)}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
      </div>

      {source ? (
        <p className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid="finding-source">
          From finding {source.finding} of{" "}
          <Link href={`/files/${source.uploadId}`} className="font-medium underline underline-offset-2 hover:text-sky-950">
            {source.filename}
          </Link>
          . The ticket links back to the upload.
          <input type="hidden" name="fromUpload" value={source.uploadId} />
          <input type="hidden" name="fromFinding" value={source.finding} />
        </p>
      ) : null}

      <div>
        <Label htmlFor={fid("title")}>Title</Label>
        <input
          id={fid("title")}
          name="title"
          value={values.title}
          onChange={(e) => update("title", e.target.value)}
          onBlur={() => void requestSuggestion()}
          maxLength={200}
          required
          aria-invalid={errorOf("title") ? true : undefined}
          aria-describedby={describedBy(errorOf("title") && fid("title-error"))}
          className={cx(controlClass, "mt-1")}
          placeholder="e.g. Laptop will not connect to the office Wi-Fi"
        />
        <FieldError id={fid("title-error")} message={errorOf("title")} />
      </div>

      <div>
        <Label htmlFor={fid("description")}>Description</Label>
        <textarea
          id={fid("description")}
          name="description"
          rows={6}
          value={values.description}
          onChange={(e) => update("description", e.target.value)}
          onBlur={() => void requestSuggestion()}
          maxLength={5000}
          required
          aria-invalid={errorOf("description") ? true : undefined}
          aria-describedby={describedBy(fid("description-hint"), errorOf("description") && fid("description-error"))}
          className={cx(controlClass, "mt-1")}
        />
        <Hint id={fid("description-hint")}>
          What happened, what you expected, and since when. At least {MIN_SUGGEST_CHARS} characters; we suggest a category
          when you leave this field.
        </Hint>
        <FieldError id={fid("description-error")} message={errorOf("description")} />
      </div>

      <DeflectionPanel title={values.title} description={values.description} onSolved={() => setDeflected(true)} />

      <TriageSuggestion
        idPrefix={id}
        suggestion={suggestion}
        status={suggestStatus}
        message={suggestMessage}
        category={category}
        priority={priority}
        onCategory={setCategory}
        onPriority={setPriority}
        categories={categories}
        categoryName={categoryName}
        teamName={teamName}
        displayedTeam={displayedTeam}
        duplicates={duplicates}
      />

      <div>
        <Label htmlFor={fid("email")}>Your e-mail</Label>
        <input
          id={fid("email")}
          name="email"
          type="email"
          autoComplete="email"
          value={signedInEmail ?? values.email}
          readOnly={!!signedInEmail}
          onChange={(e) => update("email", e.target.value)}
          required
          aria-invalid={errorOf("email") ? true : undefined}
          aria-describedby={describedBy(signedInEmail && fid("email-hint"), errorOf("email") && fid("email-error"))}
          className={cx(controlClass, "mt-1", signedInEmail && readOnlyClass)}
        />
        {signedInEmail ? <Hint id={fid("email-hint")}>Filed under your account.</Hint> : null}
        <FieldError id={fid("email-error")} message={errorOf("email")} />
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <Label htmlFor={fid("module")}>Module (optional)</Label>
          <select
            id={fid("module")}
            name="module"
            value={values.module}
            onChange={(e) => update("module", e.target.value)}
            aria-invalid={errorOf("module") ? true : undefined}
            aria-describedby={describedBy(errorOf("module") && fid("module-error"))}
            className={cx(controlClass, "mt-1")}
          >
            <option value="">Not sure / none</option>
            {modules.map((m) => (
              <option key={m.slug} value={m.slug}>
                {m.name}
              </option>
            ))}
          </select>
          <FieldError id={fid("module-error")} message={errorOf("module")} />
        </div>
        <div>
          <Label htmlFor={fid("project")}>Project (optional)</Label>
          <select
            id={fid("project")}
            name="project"
            value={values.project}
            onChange={(e) => update("project", e.target.value)}
            aria-invalid={errorOf("project") ? true : undefined}
            aria-describedby={describedBy(errorOf("project") && fid("project-error"))}
            className={cx(controlClass, "mt-1")}
          >
            <option value="">None</option>
            {filteredProjects.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
          <FieldError id={fid("project-error")} message={errorOf("project")} />
        </div>
      </div>

      {canAttach ? (
        <AttachmentPicker id={fid("attachmentIds")} uploads={attachments} error={errorOf("attachmentIds")} disabled={pending} />
      ) : (
        <p className="text-sm text-slate-700" data-testid="attach-sign-in">
          <a href={signInHref} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
            Sign in to attach files
          </a>{" "}
          (screenshots, logs, sheets).
        </p>
      )}

      <div className="flex items-center justify-end gap-3 border-t border-slate-200 pt-4">
        <p className="mr-auto text-xs text-slate-600">Fields without “optional” are required.</p>
        <Button type="submit" disabled={pending || waitingForUploads}>
          {waitingForUploads ? "Waiting for uploads…" : pending ? "Submitting…" : "Submit ticket"}
        </Button>
      </div>
    </form>
  );
}

function TriageSuggestion(props: {
  idPrefix: string;
  suggestion: SuggestionView | null;
  status: "idle" | "loading" | "error";
  message: string;
  category: string;
  priority: string;
  onCategory: (v: string) => void;
  onPriority: (v: string) => void;
  categories: (Option & { teamSlug: string })[];
  categoryName: (slug: string | null | undefined) => string;
  teamName: (slug: string | null | undefined) => string;
  displayedTeam: string | null;
  duplicates: SimilarTicketView[];
}) {
  const { idPrefix, suggestion: s, status, message, category, priority, categories, duplicates } = props;
  const headingId = `${idPrefix}-triage-heading`;
  const catChanged = !!s && category !== s.category;
  const prioChanged = !!s && priority !== s.priority;

  return (
    <section aria-labelledby={headingId} className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3" data-testid="triage-suggestion">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          Suggested routing
        </h2>
        {s ? (
          <p className="text-xs text-slate-700" data-testid="suggestion-confidence">
            Confidence <strong className="font-semibold text-slate-900">{Math.round(s.confidence * 100)}%</strong>
          </p>
        ) : null}
      </div>
      <p role="status" className={cx("mt-1 text-xs", status === "error" ? "text-red-700" : "text-slate-600")}>
        {status === "loading" || status === "error"
          ? message
          : s
            ? "Keep these or change them; the team follows the category."
            : "Write a description and leave the field to get a suggestion."}
        {status === "idle" && s ? <span className="sr-only"> {message}</span> : null}
      </p>

      {s ? (
        <div className="mt-3 flex flex-wrap items-center gap-2" data-testid="suggestion-chips">
          <Chip testId="chip-category" changed={catChanged}>
            <label htmlFor={`${idPrefix}-category`} className="text-xs font-medium text-slate-600">
              Category
            </label>
            <select
              id={`${idPrefix}-category`}
              value={category}
              onChange={(e) => props.onCategory(e.target.value)}
              className="rounded border-0 bg-transparent py-0.5 pl-1 pr-6 text-sm font-medium text-slate-900 focus:ring-2 focus:ring-brand-600/40"
            >
              {categories.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                  {c.slug === s.category ? " (suggested)" : ""}
                </option>
              ))}
            </select>
          </Chip>
          <Chip testId="chip-priority" changed={prioChanged}>
            <label htmlFor={`${idPrefix}-priority`} className="text-xs font-medium text-slate-600">
              Priority
            </label>
            <select
              id={`${idPrefix}-priority`}
              value={priority}
              onChange={(e) => props.onPriority(e.target.value)}
              className="rounded border-0 bg-transparent py-0.5 pl-1 pr-6 text-sm font-medium text-slate-900 focus:ring-2 focus:ring-brand-600/40"
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABEL[p]}
                  {p === s.priority ? " (suggested)" : ""}
                </option>
              ))}
            </select>
          </Chip>
          <Chip testId="chip-team" changed={catChanged}>
            <span className="text-xs font-medium text-slate-600">Team</span>
            <span className="px-1 text-sm font-medium text-slate-900" data-testid="chip-team-value">
              {props.teamName(props.displayedTeam)}
            </span>
          </Chip>
          {catChanged || prioChanged ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                props.onCategory(s.category);
                props.onPriority(s.priority);
              }}
            >
              Use suggestion
            </Button>
          ) : null}
        </div>
      ) : null}

      {s && s.alternatives.length > 0 ? (
        <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs text-slate-700">
          <span>Also possible:</span>
          {s.alternatives.slice(0, 3).map((a) => (
            <button
              key={a.category}
              type="button"
              onClick={() => props.onCategory(a.category)}
              aria-pressed={category === a.category}
              className="rounded-full border border-slate-300 bg-white px-2 py-0.5 font-medium text-slate-800 hover:bg-slate-100 aria-pressed:border-brand-600 aria-pressed:bg-brand-50"
            >
              {props.categoryName(a.category)} {Math.round(a.confidence * 100)}%
            </button>
          ))}
        </div>
      ) : null}

      {s && duplicates.length > 0 ? <PossibleDuplicates idPrefix={idPrefix} items={duplicates} /> : null}
    </section>
  );
}

/**
 * Open tickets that look like the one being written, so the requester can follow the existing
 * one instead of filing it twice. Announced through the suggestion's live region.
 */
function PossibleDuplicates({ idPrefix, items }: { idPrefix: string; items: SimilarTicketView[] }) {
  const headingId = `${idPrefix}-duplicates-heading`;
  return (
    <section aria-labelledby={headingId} className="mt-3 border-t border-slate-200 pt-3" data-testid="possible-duplicates">
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        Possible duplicates
      </h3>
      <p className="text-xs text-slate-600">
        {items.length === 1 ? "This open ticket looks" : "These open tickets look"} like yours. If it is the same problem, follow the
        existing ticket instead of sending a new one.
      </p>
      <ul className="mt-2 divide-y divide-slate-200 overflow-hidden rounded-md border border-slate-200 bg-white">
        {items.map((t) => (
          <li key={t.key} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm" data-testid="duplicate-item">
            <Link
              href={t.href}
              className="min-w-0 basis-full font-medium text-brand-700 underline-offset-2 hover:text-brand-900 hover:underline sm:basis-0 sm:flex-1"
            >
              <span className="font-mono">{t.key}</span>
              <span className="sr-only">: </span>
              <span aria-hidden="true" className="text-slate-500"> · </span>
              <span className="text-slate-900">{t.title}</span>
            </Link>
            <StatusBadge status={t.status as Status} />
            <span className="text-xs tabular-nums text-slate-700 sm:w-24 sm:text-right">{Math.round(t.similarity * 100)}% similar</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Chip({ children, changed, testId }: { children: ReactNode; changed: boolean; testId: string }) {
  return (
    <div
      data-testid={testId}
      data-changed={changed ? "true" : "false"}
      className={cx(
        "inline-flex items-center gap-1 rounded-full border py-0.5 pl-3 pr-1 shadow-sm",
        changed ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white",
      )}
    >
      {children}
      {changed ? <span className="mr-1 rounded-full bg-brand-600 px-1.5 text-[11px] font-medium text-white">changed</span> : null}
    </div>
  );
}
