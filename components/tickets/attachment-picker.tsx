"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { deleteUpload, UploadFailed, uploadFile } from "@/components/files/upload-client";
import { formatBytes } from "@/lib/files/sheets/errors";
import { cx } from "@/components/ui/cx";
import { describedBy, FieldError, Hint, Label } from "@/components/ui/field";

/*
 * The attachment control of the /submit form and the reply forms. Each chosen file is uploaded
 * at once (components/files/upload-client.ts: presigned PUT to S3 with progress, then the
 * server's content check); the form sends the ids of the checked ones as `attachmentIds`
 * (lib/tickets/schemas.ts), which the service links to the ticket or reply in its transaction.
 *
 * Uploads carry no ticket key on purpose: an upload made with `ticketKey` is on the ticket
 * (and visible to its requester) at once, before the reply or internal note it belongs to is
 * posted. Linking at post time keeps a half-written internal note's file private.
 */

/** Most files per ticket or reply (the schema's limit, AttachmentIdsSchema). */
export const MAX_ATTACHMENTS = 10;

/** What the file dialog offers: the types the server accepts for attachments (images, PDF, text, logs, sheets, zip). */
export const ATTACHMENT_ACCEPT =
  "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/json,application/zip," +
  ".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.log,.csv,.json,.xlsx,.xls,.zip";

/** One chosen file and where its upload stands. */
export interface PendingAttachment {
  /** Local key (the upload id is only known once the server registered it). */
  key: string;
  name: string;
  /** Bytes. */
  size: number;
  /** uploading: bytes in flight; checking: sent, the server checks the content; done: ready to send; error: refused. */
  status: "uploading" | "checking" | "done" | "error";
  /** Share of bytes sent, 0–1. */
  progress: number;
  uploadId?: string;
  error?: string;
}

/** What {@link useAttachmentUploads} gives a form. */
export interface AttachmentUploads {
  items: PendingAttachment[];
  /** True while any file is uploading or being checked. */
  busy: boolean;
  add: (files: Iterable<File>) => void;
  remove: (key: string) => void;
  reset: () => void;
  /**
   * Resolves once every upload in flight has finished (either way).
   * @returns the upload ids of the checked files, and how many were refused
   */
  settle: () => Promise<{ ids: string[]; failed: number }>;
}

/** What a form says when it will not send while refused files are still listed. */
export function refusedFilesMessage(failed: number): string {
  return failed === 1 ? "One file could not be attached: remove it, or choose it again." : `${failed} files could not be attached: remove them, or choose them again.`;
}

let seq = 0;

/** Upload state for one form: start an upload per file at once, with progress and the server's errors. */
export function useAttachmentUploads(): AttachmentUploads {
  const [items, setItems] = useState<PendingAttachment[]>([]);
  // The same list, current at once (settle() reads it after awaiting uploads, before React re-renders).
  const ref = useRef<PendingAttachment[]>([]);
  const inflight = useRef(new Map<string, { done: Promise<void>; abort: AbortController }>());

  const commit = useCallback((next: PendingAttachment[]) => {
    ref.current = next;
    setItems(next);
  }, []);
  const patch = useCallback(
    (key: string, change: Partial<PendingAttachment>) => commit(ref.current.map((i) => (i.key === key ? { ...i, ...change } : i))),
    [commit],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = `a${++seq}`;
        const taken = ref.current.filter((i) => i.status !== "error").length;
        if (taken >= MAX_ATTACHMENTS) {
          commit([
            ...ref.current,
            { key, name: file.name, size: file.size, status: "error", progress: 0, error: `At most ${MAX_ATTACHMENTS} files can be attached at a time.` },
          ]);
          continue;
        }
        commit([...ref.current, { key, name: file.name, size: file.size, status: "uploading", progress: 0 }]);
        const abort = new AbortController();
        const done = uploadFile(file, {
          kind: "attachment",
          signal: abort.signal,
          onProgress: (f) => patch(key, f >= 1 ? { progress: 1, status: "checking" } : { progress: f }),
        }).then(
          (u) => {
            if (u.status === "done") patch(key, { status: "done", progress: 1, uploadId: u.id });
            else patch(key, { status: "error", error: u.error?.message ?? `The file could not be checked (status ${u.status}).` });
          },
          (err: unknown) =>
            patch(key, {
              status: "error",
              error: err instanceof UploadFailed ? err.message : "The upload failed; check the connection and try again.",
            }),
        );
        inflight.current.set(key, { done, abort });
        void done.finally(() => inflight.current.delete(key));
      }
    },
    [commit, patch],
  );

  const remove = useCallback(
    (key: string) => {
      inflight.current.get(key)?.abort.abort();
      // A checked file not sent with the form: delete it from storage (best effort; never linked, so no one sees it).
      const uploadId = ref.current.find((i) => i.key === key)?.uploadId;
      if (uploadId) void deleteUpload(uploadId).catch(() => undefined);
      commit(ref.current.filter((i) => i.key !== key));
    },
    [commit],
  );

  const reset = useCallback(() => {
    for (const { abort } of inflight.current.values()) abort.abort();
    commit([]);
  }, [commit]);

  const settle = useCallback(async () => {
    await Promise.all([...inflight.current.values()].map((x) => x.done));
    const ids = ref.current.flatMap((i) => (i.status === "done" && i.uploadId ? [i.uploadId] : []));
    return { ids, failed: ref.current.filter((i) => i.status === "error").length };
  }, []);

  // Abort transfers still running when the form goes away.
  useEffect(() => {
    const running = inflight.current;
    return () => {
      for (const { abort } of running.values()) abort.abort();
    };
  }, []);

  return { items, busy: items.some((i) => i.status === "uploading" || i.status === "checking"), add, remove, reset, settle };
}

/**
 * A file input ("Attachments") and the list of chosen files, each with its size, a progress bar
 * while it uploads (role progressbar, named after the file), the server's verdict, and a remove
 * button. Without JavaScript it is a plain file input that sends nothing (it has no name).
 */
export function AttachmentPicker({
  id,
  uploads,
  label = "Attachments (optional)",
  error,
  disabled,
}: {
  /** The file input's id (error summaries link to it). */
  id: string;
  uploads: AttachmentUploads;
  label?: string;
  /** A field error from the server (e.g. 422 from linking). */
  error?: string | null;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const { add } = uploads;

  // Files chosen before the page was interactive: pick them up once it is.
  useEffect(() => {
    const el = input.current;
    if (el?.files && el.files.length > 0) {
      add(Array.from(el.files));
      el.value = "";
    }
  }, [add]);

  return (
    <div data-testid="attachment-picker">
      <Label htmlFor={id}>{label}</Label>
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        accept={ATTACHMENT_ACCEPT}
        disabled={disabled}
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files && files.length > 0) add(Array.from(files));
          e.currentTarget.value = ""; // choosing the same file again uploads it again
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
        className={cx(
          "mt-1 block w-full text-sm text-slate-700",
          "file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50",
        )}
      />
      <Hint id={`${id}-hint`}>Images, PDF, text or log files, sheets or zip; up to {MAX_ATTACHMENTS} files.</Hint>
      <FieldError id={`${id}-error`} message={error} />
      <ul className="mt-2 space-y-1.5 empty:hidden" aria-live="polite" aria-label="Chosen files" data-testid="attachment-uploads">
        {uploads.items.map((item) => (
          <PendingRow key={item.key} item={item} onRemove={() => uploads.remove(item.key)} />
        ))}
      </ul>
    </div>
  );
}

function PendingRow({ item, onRemove }: { item: PendingAttachment; onRemove: () => void }) {
  const pct = Math.round(item.progress * 100);
  const statusText =
    item.status === "uploading" ? `Uploading, ${pct}%` : item.status === "checking" ? "Checking…" : item.status === "done" ? "Ready" : "Not attached";
  return (
    <li
      data-testid="attachment-upload"
      data-status={item.status}
      className={cx(
        "rounded-md border px-3 py-2 text-sm",
        item.status === "error" ? "border-red-200 bg-red-50" : "border-slate-200 bg-slate-50",
      )}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="min-w-0 flex-1 truncate font-medium text-slate-900" title={item.name}>
          {item.name}
        </span>
        <span className="text-xs tabular-nums text-slate-600">{formatBytes(item.size)}</span>
        <span className={cx("text-xs", item.status === "error" ? "font-medium text-red-800" : item.status === "done" ? "text-emerald-800" : "text-slate-700")}>
          {statusText}
        </span>
        <button
          type="button"
          onClick={onRemove}
          aria-label={`Remove ${item.name}`}
          className="rounded px-1.5 py-0.5 text-xs font-medium text-slate-700 underline underline-offset-2 hover:bg-slate-200 hover:text-slate-900"
        >
          Remove
        </button>
      </div>
      {item.status === "uploading" || item.status === "checking" ? (
        <div
          role="progressbar"
          aria-label={`Upload of ${item.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-valuetext={item.status === "checking" ? "Sent; checking the file" : `${pct}%`}
          className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-200"
        >
          <div className="h-full rounded-full bg-brand-600 transition-[width]" style={{ width: `${pct}%` }} />
        </div>
      ) : null}
      {item.status === "error" && item.error ? <p className="mt-1 text-xs text-red-800">{item.error}</p> : null}
    </li>
  );
}
