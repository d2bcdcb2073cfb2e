"use client";

import { startTransition, useActionState, useEffect, useId, useState, type FormEvent } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { controlClass, describedBy, FieldError } from "@/components/ui/field";
import { appendReply, INSERT_REPLY_EVENT, type InsertReplyDetail } from "@/components/assistant/ticket-insert-reply";
import { AttachmentPicker } from "./attachment-picker";
import { CommentResult } from "./comment-result";
import { BODY_MAX, useCommentDraft } from "./comment-draft";


type State = FormState<"body" | "internal" | "attachmentIds", { id: number | null; internal: boolean; status: string; followUp?: string | null }>;

/**
 * Reply box under a ticket's conversation. Agents can tick "Internal note" (never shown to the
 * requester); requesters only reply publicly. Files chosen under "Attach files" upload at once
 * and go with the reply as `attachmentIds` (a note's files stay internal like the note).
 * Clears itself after a successful post. On agents' forms, the ticket assistant's "Insert into
 * reply" (INSERT_REPLY_EVENT) puts a suggestion in the box as a public reply and focuses it;
 * nothing is sent until the agent clicks "Send reply".
 */
export function ReplyForm({
  action,
  allowInternal,
  disabledReason,
}: {
  action: (prev: State, input: unknown) => Promise<State>;
  allowInternal: boolean;
  /** When set, the form is replaced by this explanation (e.g. the ticket is closed). */
  disabledReason?: string | null;
}) {
  const id = useId();
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const draft = useCommentDraft(state, { body: `${id}-body`, files: `${id}-files` });
  const { body, setBody, setClientError, attachments, waitingForUploads } = draft;
  const [internal, setInternal] = useState(false);

  // Clear the box once per successful post.
  if (draft.clearOn(state)) setInternal(false);

  const disabled = !!disabledReason;
  useEffect(() => {
    if (!allowInternal || disabled) return;
    const onInsert = (e: Event) => {
      const text = (e as CustomEvent<InsertReplyDetail>).detail?.text;
      if (typeof text !== "string" || !text.trim()) return;
      setBody((prev) => appendReply(prev, text, BODY_MAX));
      setInternal(false);
      setClientError(null);
      requestAnimationFrame(() => document.getElementById(`${id}-body`)?.focus());
    };
    window.addEventListener(INSERT_REPLY_EVENT, onInsert);
    return () => window.removeEventListener(INSERT_REPLY_EVENT, onInsert);
  }, [allowInternal, disabled, id]);

  if (disabledReason) {
    return <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">{disabledReason}</p>;
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending || waitingForUploads) return;
    const ids = await draft.prepare();
    if (!ids) return;
    const isInternal = allowInternal && internal;
    startTransition(() => dispatch({ body, internal: isInternal, ...(ids.length > 0 ? { attachmentIds: ids } : {}) }));
  }

  const { body: fieldError, files: filesError } = draft.errors(state);
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="space-y-2" aria-busy={pending || waitingForUploads}>
      <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-800">
        {allowInternal && internal ? "Note for agents" : "Reply"}
      </label>
      <textarea
        id={`${id}-body`}
        rows={4}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        maxLength={BODY_MAX}
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={describedBy(fieldError && `${id}-body-error`, allowInternal && `${id}-internal-hint`)}
        className={cx(controlClass, allowInternal && internal && "border-amber-400 bg-amber-50")}
        placeholder={!allowInternal ? "Write to the service desk" : internal ? "Visible to agents only" : "Visible to the requester"}
      />
      <FieldError id={`${id}-body-error`} message={fieldError} />
      <AttachmentPicker
        id={`${id}-files`}
        uploads={attachments}
        label={allowInternal && internal ? "Attach files to the note (optional)" : "Attach files (optional)"}
        error={filesError}
        disabled={pending}
      />
      <div className="flex flex-wrap items-center gap-3">
        {allowInternal ? (
          <div className="flex items-center gap-2">
            <input
              id={`${id}-internal`}
              type="checkbox"
              checked={internal}
              onChange={(e) => setInternal(e.target.checked)}
              className="h-4 w-4 rounded border-slate-400"
              aria-describedby={`${id}-internal-hint`}
            />
            <label htmlFor={`${id}-internal`} className="text-sm text-slate-800">
              Internal note
            </label>
            <span id={`${id}-internal-hint`} className="text-xs text-slate-600">
              Not visible to the requester
            </span>
          </div>
        ) : null}
        <Button type="submit" size="sm" disabled={pending || waitingForUploads} className="ml-auto">
          {waitingForUploads ? "Waiting for uploads…" : pending ? "Posting…" : allowInternal && internal ? "Add internal note" : "Send reply"}
        </Button>
      </div>
      <CommentResult state={state} />
    </form>
  );
}
