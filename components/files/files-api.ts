"use client";

import { fetchJson } from "@/components/dashboard/parts";
import type { Finding } from "@/lib/files/types";
import type { UploadDTO } from "@/lib/files/uploads/schemas";

/*
 * GET calls of the file pages (the session cookie authenticates). Errors carry the API's
 * message. The upload itself goes through upload-client.ts.
 */

/** A finding as GET /api/uploads/{id}/findings lists it: `seq` is its position in file order. */
export type FindingItem = Finding & { seq: number };

export interface FindingsPage {
  items: FindingItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: number | null;
  /** Findings matching the filters, over all pages. */
  total: number;
}

export interface FindingFilters {
  code?: string;
  severity?: string;
  cursor?: number;
}

/** Findings per page on the detail page. */
export const FINDINGS_PAGE_SIZE = 50;

/** GET /api/uploads?limit= — recent uploads, newest first. */
export function fetchUploads(signal: AbortSignal, limit = 50): Promise<{ items: UploadDTO[] }> {
  return fetchJson<{ items: UploadDTO[] }>(`/api/uploads?limit=${limit}`, signal, "uploads");
}

/** GET /api/uploads/{id}. */
export function fetchUploadById(id: string, signal: AbortSignal): Promise<UploadDTO> {
  return fetchJson<UploadDTO>(`/api/uploads/${encodeURIComponent(id)}`, signal, "upload");
}

/** GET /api/uploads/{id}/findings with the filters, {@link FINDINGS_PAGE_SIZE} per page. */
export function fetchFindings(id: string, filters: FindingFilters, signal: AbortSignal): Promise<FindingsPage> {
  const qs = new URLSearchParams({ limit: String(FINDINGS_PAGE_SIZE) });
  if (filters.code) qs.set("code", filters.code);
  if (filters.severity) qs.set("severity", filters.severity);
  if (filters.cursor !== undefined) qs.set("cursor", String(filters.cursor));
  return fetchJson<FindingsPage>(`/api/uploads/${encodeURIComponent(id)}/findings?${qs}`, signal, "findings");
}

/** How often a page polls an upload the server is still working on, in ms. */
export const POLL_MS = 700;
