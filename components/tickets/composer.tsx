"use client";

import { startTransition, useActionState, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { Status } from "@/db/schema/enums";
import type { FormState } from "@/lib/forms/form-state";
import type { MacroActions } from "@/lib/macros/schemas";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError } from "@/components/ui/field";
import { useShortcuts } from "@/components/ui/shortcuts";
import { appendReply, INSERT_REPLY_EVENT, type InsertReplyDetail } from "@/components/assistant/ticket-insert-reply";
import { MacroPicker } from "@/components/macros/macro-picker";
import { AttachmentPicker } from "./attachment-picker";
import { CommentResult } from "./comment-result";
import { BODY_MAX, useCommentDraft } from "./comment-draft";
import { PRIORITY_LABEL, STATUS_LABEL, WAITING_REASON_LABEL } from "./labels";

/** The "Send and set to …" targets, as Zendesk's "Submit as". */
const SEND_AND_SET: Status[] = ["waiting", "resolved"];

export type ComposerField = "body" | "internal" | "attachmentIds" | "status" | "changes";
export type ComposerState = FormState<ComposerField, { id: number | null; internal: boolean; status: string }>;

/** What the composer posts to its action. */
export interface ComposerInput {
  body: string;
  internal: boolean;
  attachmentIds?: string[];
  status?: Status;
  /** A macro's staged field changes. */
  changes?: MacroActions;
}

type Option = { value: string; label: string };

/** "Priority → P3 · Medium"-style lines for staged macro changes. */
function describeChanges(a: MacroActions, names: { categories: Option[]; teams: Option[]; agents: Option[] }): string[] {
  const name = (list: Option[], v: string | null | undefined, none: string) => (v ? (list.find((o) => o.value === v)?.label ?? v) : none);
  const out: string[] = [];
  if (a.status) out.push(`Status → ${STATUS_LABEL[a.status]}${a.waitingReason ? ` (on ${WAITING_REASON_LABEL[a.waitingReason].toLowerCase()})` : ""}`);
  else if (a.waitingReason) out.push(`Waiting on → ${WAITING_REASON_LABEL[a.waitingReason]}`);
  if (a.priority) out.push(`Priority → ${PRIORITY_LABEL[a.priority]}`);
  if (a.category) out.push(`Category → ${name(names.categories, a.category, "")}`);
  if (a.team !== undefined) out.push(`Team → ${name(names.teams, a.team, "No team")}`);
  if (a.assignee !== undefined) out.push(`Assignee → ${name(names.agents, a.assignee, "Unassigned")}`);
  return out;
}

/**
 * The agent's one composer under a ticket's conversation (issue 12): a Public reply / Internal
 * note toggle (notes are amber and never shown to the requester), "Insert macro" (fills the box
 * with the macro rendered for this ticket and stages its field changes, listed above the
 * buttons), attachments, and "Send" or "Send and set to Waiting/Resolved": the comment, the
 * status and the staged changes commit in one transaction (a refused change stores nothing).
 * Ctrl/Cmd+Enter sends; Escape leaves the box. Shortcuts `r` (reply) and `n` (note) focus the box in that mode. The
 * ticket assistant's "Insert into reply" (INSERT_REPLY_EVENT) adds its text as a public reply.
 */
export function Composer({
  ticketKey,
  status,
  action,
  disabledReason,
  categories,
  teams,
  agents,
}: {
  ticketKey: string;
  /** The ticket's current status (hides "Send and set to" its own status). */
  status: Status;
  action: (prev: ComposerState, input: ComposerInput) => Promise<ComposerState>;
  /** When set, the composer is replaced by this explanation (e.g. the ticket is closed). */
  disabledReason?: string | null;
  categories: Option[];
  teams: Option[];
  agents: Option[];
}) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const draft = useCommentDraft(state, { body: `${id}-body`, files: `${id}-files` });
  const { body, setBody, setClientError, attachments, waitingForUploads } = draft;
  const [internal, setInternal] = useState(false);
  const [staged, setStaged] = useState<{ name: string; actions: MacroActions } | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const disabled = !!disabledReason;

  // Clear the box once per successful post.
  if (draft.clearOn(state)) {
    setInternal(false);
    setStaged(null);
  }

  function focusIn(mode: "reply" | "note") {
    setInternal(mode === "note");
    requestAnimationFrame(() => {
      bodyRef.current?.scrollIntoView({ block: "center" });
      bodyRef.current?.focus();
    });
  }

  useShortcuts([
    { keys: "r", description: "Reply to the requester", group: "Ticket", handler: () => focusIn("reply"), when: () => !disabled },
    { keys: "n", description: "Add an internal note", group: "Ticket", handler: () => focusIn("note"), when: () => !disabled },
  ]);

  useEffect(() => {
    if (disabled) return;
    const onInsert = (e: Event) => {
      const text = (e as CustomEvent<InsertReplyDetail>).detail?.text;
      if (typeof text !== "string" || !text.trim()) return;
      setBody((prev) => appendReply(prev, text, BODY_MAX));
      setInternal(false);
      setClientError(null);
      requestAnimationFrame(() => bodyRef.current?.focus());
    };
    window.addEventListener(INSERT_REPLY_EVENT, onInsert);
    return () => window.removeEventListener(INSERT_REPLY_EVENT, onInsert);
  }, [disabled]);

  if (disabledReason) {
    return <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">{disabledReason}</p>;
  }

  async function send(target: Status | undefined) {
    if (pending || waitingForUploads) return;
    const ids = await draft.prepare();
    if (!ids) return;
    const changes = staged && Object.keys(staged.actions).length ? staged.actions : undefined;
    startTransition(() =>
      dispatch({ body, internal, ...(ids.length ? { attachmentIds: ids } : {}), ...(target ? { status: target } : {}), ...(changes ? { changes } : {}) }),
    );
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const target = submitter?.value ? (submitter.value as Status) : undefined;
    void send(target);
  }

  function onBodyKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send(undefined);
    } else if (e.key === "Escape") {
      // Leave the box (the text stays) so single-key shortcuts work again.
      e.currentTarget.blur();
    }
  }

  const { body: fieldError, files: filesError } = draft.errors(state);
  const stagedLines = staged ? describeChanges(staged.actions, { categories, teams, agents }) : [];
  const busy = pending || waitingForUploads;
  const mode = internal ? "note" : "reply";
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-busy={busy}
      aria-label={`Composer for ${ticketKey}`}
      data-testid="composer"
      data-mode={mode}
      className={cx("space-y-2 rounded-md border p-3", internal ? "border-amber-400 bg-amber-50" : "border-slate-200 bg-white")}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <fieldset className="flex rounded-md border border-slate-300 bg-white p-0.5 text-sm">
          <legend className="sr-only">Comment type</legend>
          {(["reply", "note"] as const).map((m) => (
            <label
              key={m}
              className={cx(
                "cursor-pointer rounded px-2.5 py-1 font-medium has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600",
                mode === m ? (m === "note" ? "bg-amber-200 text-amber-950" : "bg-brand-600 text-white") : "text-slate-700 hover:bg-slate-100",
              )}
            >
              <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => setInternal(m === "note")} className="sr-only" />
              {m === "note" ? "Internal note" : "Public reply"}
            </label>
          ))}
        </fieldset>
        <MacroPicker
          ticketKey={ticketKey}
          onInsert={(m) => {
            setBody((prev) => appendReply(prev, m.body, BODY_MAX));
            setInternal(m.internal);
            setStaged(Object.keys(m.actions).length ? { name: m.name, actions: m.actions } : null);
            setClientError(null);
            requestAnimationFrame(() => bodyRef.current?.focus());
          }}
        />
      </div>
      <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-800">
        {internal ? "Note for agents" : "Reply"}
      </label>
      <textarea
        ref={bodyRef}
        id={`${id}-body`}
        rows={5}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onBodyKeyDown}
        maxLength={BODY_MAX}
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={describedBy(fieldError && `${id}-body-error`, `${id}-hint`)}
        className={cx(controlClass, internal && "border-amber-400 bg-white")}
        placeholder={internal ? "Visible to agents only" : "Visible to the requester"}
      />
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {internal ? "Not visible to the requester." : "Sent to the requester and watchers."} Ctrl+Enter sends; Escape leaves the box.
      </p>
      <FieldError id={`${id}-body-error`} message={fieldError} />
      {staged && stagedLines.length ? (
        <div className="flex flex-wrap items-start justify-between gap-2 rounded-md border border-brand-200 bg-brand-50 px-3 py-2 text-sm" data-testid="staged-changes">
          <div>
            <p className="font-medium text-slate-900">On send, macro “{staged.name}” also sets:</p>
            <ul className="list-inside list-disc text-slate-800">
              {stagedLines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          </div>
          <Button size="sm" variant="ghost" onClick={() => setStaged(null)}>
            Don’t change fields
          </Button>
        </div>
      ) : null}
      <AttachmentPicker id={`${id}-files`} uploads={attachments} label={internal ? "Attach files to the note (optional)" : "Attach files (optional)"} error={filesError} disabled={pending} />
      <div className="flex flex-wrap items-center justify-end gap-2">
        {SEND_AND_SET.filter((s) => s !== status).map((s) => (
          <Button key={s} type="submit" value={s} size="sm" variant="secondary" disabled={busy}>
            Send and set to {STATUS_LABEL[s]}
          </Button>
        ))}
        <Button type="submit" size="sm" disabled={busy}>
          {waitingForUploads ? "Waiting for uploads…" : pending ? "Sending…" : internal ? "Add internal note" : "Send reply"}
        </Button>
      </div>
      <CommentResult state={state} />
    </form>
  );
}
