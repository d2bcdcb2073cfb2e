"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { controlClass, Label } from "@/components/ui/field";
import type { Severity } from "@/lib/files/types";
import { queryKeys } from "@/lib/query-keys";
import { fetchFindings, FINDINGS_PAGE_SIZE } from "./files-api";
import { codeLabel, SEVERITY_LABEL } from "./labels";

const SEVERITIES: Severity[] = ["error", "warning", "info"];

const severityTone: Record<Severity, string> = {
  error: "bg-red-100 text-red-900 ring-red-300",
  warning: "bg-amber-100 text-amber-900 ring-amber-300",
  info: "bg-sky-100 text-sky-900 ring-sky-300",
};

/**
 * The findings of a processed upload (GET /api/uploads/{id}/findings), in file order, with
 * filters by code and severity and paging by `nextCursor`. Each row links to a new ticket
 * about that finding (/submit?upload=&finding=, pre-filled by findingTicketDraft).
 * `codes`: the codes offered in the filter (with their counts).
 */
export function FindingsTable({ uploadId, codes }: { uploadId: string; codes: { code: string; count: number }[] }) {
  const id = useId();
  const [code, setCode] = useState("");
  const [severity, setSeverity] = useState("");
  // Cursors of the pages visited: the last one is the page shown (undefined = first page).
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const filters = { ...(code ? { code } : {}), ...(severity ? { severity } : {}), ...(cursor !== undefined ? { cursor } : {}) };

  const page = useQuery({
    queryKey: queryKeys.uploads.findings(uploadId, filters),
    queryFn: ({ signal }) => fetchFindings(uploadId, filters, signal),
    placeholderData: keepPreviousData,
  });
  const data = page.data;
  const first = (cursors.length - 1) * FINDINGS_PAGE_SIZE + 1;

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader className="flex-wrap">
        <h2 id={`${id}-h`} className="text-sm font-semibold text-slate-900">
          Findings
        </h2>
        <div className="flex flex-wrap items-end gap-3">
          <div>
            <Label htmlFor={`${id}-code`} className="text-xs">
              Code
            </Label>
            <select
              id={`${id}-code`}
              className={cx(controlClass, "mt-0.5 w-56")}
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
                setCursors([undefined]);
              }}
            >
              <option value="">All codes</option>
              {codes.map((c) => (
                <option key={c.code} value={c.code}>
                  {`${codeLabel(c.code)} (${c.code}): ${c.count}`}
                </option>
              ))}
            </select>
          </div>
          <div>
            <Label htmlFor={`${id}-sev`} className="text-xs">
              Severity
            </Label>
            <select
              id={`${id}-sev`}
              className={cx(controlClass, "mt-0.5 w-36")}
              value={severity}
              onChange={(e) => {
                setSeverity(e.target.value);
                setCursors([undefined]);
              }}
            >
              <option value="">All severities</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {SEVERITY_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
      </CardHeader>

      {page.isError ? (
        <Alert tone="error" className="m-3" live>
          Could not load the findings ({page.error.message}).{" "}
          <Button size="sm" variant="secondary" onClick={() => void page.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : null}

      <p role="status" className="px-4 pt-3 text-sm text-slate-700" data-testid="findings-status">
        {!data
          ? "Loading findings…"
          : data.total === 0
            ? code || severity
              ? "No findings match these filters."
              : "No findings."
            : `Showing ${first}–${first + data.items.length - 1} of ${data.total.toLocaleString("en-US")} finding${data.total === 1 ? "" : "s"}${
                code || severity ? " matching the filters" : ""
              }.`}
      </p>

      {data && data.items.length > 0 ? (
        <div className={cx("overflow-x-auto px-1 pt-2", page.isPlaceholderData && "opacity-60")}>
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="findings-table">
            <caption className="sr-only">Findings in file order</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">Sheet</th>
                <th scope="col" className="px-3 py-2 text-right">Row</th>
                <th scope="col" className="px-3 py-2">Column</th>
                <th scope="col" className="px-3 py-2">Code</th>
                <th scope="col" className="px-3 py-2">Severity</th>
                <th scope="col" className="px-3 py-2">Message</th>
                <th scope="col" className="px-3 py-2">Value</th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Ticket</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.items.map((f) => (
                <tr key={f.seq} className="align-top hover:bg-slate-50" data-code={f.code}>
                  <td className="max-w-[10rem] truncate px-3 py-2 text-slate-700" title={f.sheet}>
                    {f.sheet}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-900">{f.row}</td>
                  <td className="max-w-[10rem] truncate px-3 py-2 text-slate-700" title={f.column ?? undefined}>
                    {f.column ?? "–"}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-900" title={codeLabel(f.code)}>
                    {f.code}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <span className={cx("inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", severityTone[f.severity])}>
                      {SEVERITY_LABEL[f.severity]}
                    </span>
                  </td>
                  <td className="min-w-[16rem] px-3 py-2 text-slate-900">{f.message}</td>
                  <td className="max-w-[14rem] break-all px-3 py-2 font-mono text-xs text-slate-800">
                    {f.value === null ? <span className="font-sans text-slate-600">–</span> : f.value}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link
                      href={`/submit?upload=${encodeURIComponent(uploadId)}&finding=${f.seq}`}
                      className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
                    >
                      Open ticket<span className="sr-only"> about row {f.row}, {f.code}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <nav aria-label="Findings pages" className="flex items-center justify-between gap-2 px-4 py-3">
        {cursors.length > 1 ? (
          <Button size="sm" variant="secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
            ← Previous page
          </Button>
        ) : (
          <span />
        )}
        {data?.nextCursor !== null && data?.nextCursor !== undefined ? (
          <Button size="sm" variant="secondary" onClick={() => setCursors((c) => [...c, data.nextCursor ?? undefined])}>
            Next page →
          </Button>
        ) : null}
      </nav>
    </Card>
  );
}
