"use client";

import type { UploadDTO } from "@/lib/files/uploads/schemas";
import type { UploadKind } from "@/lib/files/types";

/** What the server said went wrong, in the API's one error shape. */
export class UploadFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = "UploadFailed";
  }
}

export interface UploadOptions {
  kind: UploadKind;
  ticketKey?: string;
  ruleSetId?: string;
  dataset?: string;
  /** Called with the share of bytes sent, 0–1, from XHR upload progress events. */
  onProgress?: (fraction: number) => void;
  /** Abort the transfer (the upload stays pending on the server and expires). */
  signal?: AbortSignal;
}

async function api<T>(url: string, init: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, headers: { "Content-Type": "application/json", ...(init.headers ?? {}) }, credentials: "same-origin" });
  const body = (await res.json().catch(() => null)) as T | { error?: { code: string; message: string; details: unknown } } | null;
  if (!res.ok) {
    const e = (body as { error?: { code: string; message: string; details: unknown } } | null)?.error;
    throw new UploadFailed(e?.code ?? "http_error", e?.message ?? `The server answered ${res.status}`, res.status, e?.details ?? null);
  }
  return { status: res.status, body: body as T };
}

/** The type the browser will send: the File's own, or one guessed from the extension. */
export function contentTypeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split(".").pop() ?? "";
  const byExt: Record<string, string> = {
    csv: "text/csv",
    txt: "text/plain",
    log: "text/plain",
    json: "application/json",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    xls: "application/vnd.ms-excel",
    pdf: "application/pdf",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    webp: "image/webp",
    zip: "application/zip",
  };
  return byExt[ext] ?? "application/octet-stream";
}

/** PUT the bytes with XMLHttpRequest (fetch has no upload progress), reporting progress. */
function put(url: string, headers: Record<string, string>, file: File, opts: UploadOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new UploadFailed("storage_refused", `The file store refused the upload (HTTP ${xhr.status})`, xhr.status));
    xhr.onerror = () => reject(new UploadFailed("network_error", "The upload was interrupted; check the connection and try again", 0));
    xhr.onabort = () => reject(new UploadFailed("aborted", "The upload was cancelled", 0));
    opts.signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

/**
 * Upload one file the whole way: ask for a presigned PUT (POST /api/uploads), send the bytes
 * straight to S3 with progress, then have the server check them (POST /api/uploads/{id}/complete).
 * @returns the upload as the server sees it after the check (attachments `done`, sheets `processing`)
 * @throws UploadFailed with the server's error code and message (e.g. 413, 415, 422)
 */
export async function uploadFile(file: File, opts: UploadOptions): Promise<UploadDTO> {
  const created = await api<{ id: string; url: string; headers: Record<string, string> }>("/api/uploads", {
    method: "POST",
    body: JSON.stringify({
      filename: file.name,
      contentType: contentTypeOf(file),
      size: file.size,
      kind: opts.kind,
      ...(opts.ticketKey ? { ticketKey: opts.ticketKey } : {}),
      ...(opts.ruleSetId ? { ruleSetId: opts.ruleSetId } : {}),
      ...(opts.dataset ? { dataset: opts.dataset } : {}),
    }),
  });
  opts.onProgress?.(0);
  await put(created.body.url, created.body.headers, file, opts);
  opts.onProgress?.(1);
  const done = await api<{ upload: UploadDTO }>(`/api/uploads/${created.body.id}/complete`, { method: "POST", body: "{}" });
  return done.body.upload;
}

/** GET /api/uploads/{id}. */
export async function fetchUpload(id: string): Promise<UploadDTO> {
  return (await api<UploadDTO>(`/api/uploads/${id}`, { method: "GET" })).body;
}

/** DELETE /api/uploads/{id}: remove an upload that was not attached (or is pending/failed). */
export async function deleteUpload(id: string): Promise<void> {
  const res = await fetch(`/api/uploads/${id}`, { method: "DELETE", credentials: "same-origin" });
  if (!res.ok && res.status !== 404) throw new UploadFailed("http_error", `The server answered ${res.status}`, res.status);
}
