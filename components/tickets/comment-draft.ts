"use client";

import { useEffect, useState } from "react";
import type { FormState } from "@/lib/forms/form-state";
import { refusedFilesMessage, useAttachmentUploads } from "./attachment-picker";

/** Characters a comment may have (ticket_comments.body). */
export const BODY_MAX = 10000;

/**
 * The shared state of a comment box (the agent's composer and the requester's reply form): the
 * text, client-side errors and the attachments being uploaded. `prepare()` checks that there is
 * text and waits for the uploads: it returns the upload ids to send, or null after focusing the
 * field in error. Call `clearOn(state)` while rendering: each new successful `state` empties the
 * box (and `onCleared` runs) and resets the attachments.
 */
export function useCommentDraft<S extends FormState<string, unknown>>(initial: S, ids: { body: string; files: string }) {
  const [body, setBody] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const [attachError, setAttachError] = useState<string | null>(null);
  const [handled, setHandled] = useState<S>(initial);
  const [waitingForUploads, setWaitingForUploads] = useState(false);
  const [succeeded, setSucceeded] = useState<S | null>(null);
  const attachments = useAttachmentUploads();

  const { reset: resetAttachments } = attachments;
  useEffect(() => {
    if (succeeded) resetAttachments();
  }, [succeeded, resetAttachments]);

  /** Returns true when `state` is a new success (the box was just emptied). */
  function clearOn(state: S): boolean {
    if (state === handled) return false;
    setHandled(state);
    if (state.status !== "success") return false;
    setBody("");
    setSucceeded(state);
    return true;
  }

  async function prepare(): Promise<string[] | null> {
    if (!body.trim()) {
      setClientError("Write a message first.");
      document.getElementById(ids.body)?.focus();
      return null;
    }
    setClientError(null);
    setAttachError(null);
    setWaitingForUploads(attachments.busy);
    const { ids: uploadIds, failed } = await attachments.settle();
    setWaitingForUploads(false);
    if (failed > 0) {
      setAttachError(refusedFilesMessage(failed));
      document.getElementById(ids.files)?.focus();
      return null;
    }
    return uploadIds;
  }

  /** The body's and the files' error messages for `state`. */
  function errors(state: S): { body: string | undefined; files: string | undefined } {
    const fieldErrors = state.status === "error" ? (state.fieldErrors as Record<string, string | undefined>) : {};
    const attachFailed = attachments.items.some((i) => i.status === "error");
    return { body: clientError ?? fieldErrors.body, files: (attachFailed ? attachError : null) ?? fieldErrors.attachmentIds };
  }

  return { body, setBody, setClientError, attachments, waitingForUploads, clearOn, prepare, errors };
}
