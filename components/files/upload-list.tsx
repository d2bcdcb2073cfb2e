"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { formatAbsolute } from "@/components/ui/time";
import { formatBytes } from "@/lib/files/sheets/errors";
import type { UploadDTO } from "@/lib/files/uploads/schemas";
import { queryKeys } from "@/lib/query-keys";
import { fetchUploads } from "./files-api";
import { isActive, KIND_LABEL } from "./labels";
import { UploadStatusBadge } from "./upload-status";

/** Refresh of the list while one of its uploads is still being processed, in ms. */
const LIST_POLL_MS = 2_000;

/**
 * Recent uploads (GET /api/uploads), newest first: file, kind, size, status, findings, who and
 * when. `initial` is the server's first page; the list refreshes while an upload is running.
 */
export function UploadList({ initial }: { initial: UploadDTO[] }) {
  const list = useQuery({
    queryKey: queryKeys.uploads.list(null),
    queryFn: ({ signal }) => fetchUploads(signal),
    initialData: { items: initial },
    refetchInterval: (q) => (q.state.data?.items.some((u) => isActive(u.status)) ? LIST_POLL_MS : false),
  });
  const items = list.data.items;

  return (
    <Card aria-labelledby="recent-uploads-h">
      <CardHeader>
        <h2 id="recent-uploads-h" className="text-sm font-semibold text-slate-900">
          Recent uploads
        </h2>
        <p className="text-xs text-slate-600">Newest first</p>
      </CardHeader>
      {list.isError ? (
        <Alert tone="warning" className="m-3" live>
          Could not refresh the list ({list.error.message}).
        </Alert>
      ) : null}
      {items.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-700">No sheets uploaded yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="upload-table">
            <caption className="sr-only">Recent uploads, newest first</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">File</th>
                <th scope="col" className="px-3 py-2">Kind</th>
                <th scope="col" className="px-3 py-2 text-right">Size</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2 text-right">Findings</th>
                <th scope="col" className="px-3 py-2">Uploaded by</th>
                <th scope="col" className="px-3 py-2">Uploaded</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((u) => (
                <tr key={u.id} className="hover:bg-slate-50">
                  <td className="max-w-xs px-3 py-2">
                    <Link href={`/files/${u.id}`} className="block truncate font-medium text-brand-700 underline-offset-2 hover:underline" title={u.filename}>
                      {u.filename}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-700">{KIND_LABEL[u.kind]}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700">{formatBytes(u.size)}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <UploadStatusBadge status={u.status} />
                    {u.status === "processing" ? <span className="ml-1.5 text-xs tabular-nums text-slate-600">{Math.round(u.progress * 100)} %</span> : null}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700">
                    {u.status === "done" ? u.findingsCount.toLocaleString("en-US") : "–"}
                  </td>
                  <td className="max-w-[12rem] truncate px-3 py-2 text-slate-700">{u.owner}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-700">
                    <time dateTime={u.createdAt} suppressHydrationWarning>{formatAbsolute(u.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
