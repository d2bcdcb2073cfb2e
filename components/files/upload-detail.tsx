"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { nf, StatCard } from "@/components/dashboard/parts";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { formatAbsolute } from "@/components/ui/time";
import { formatBytes } from "@/lib/files/sheets/errors";
import type { UploadDTO } from "@/lib/files/uploads/schemas";
import { queryKeys } from "@/lib/query-keys";
import { fetchUploadById, POLL_MS } from "./files-api";
import { FindingsChart } from "./findings-chart";
import { FindingsTable } from "./findings-table";
import { codeLabel, isActive, KIND_LABEL } from "./labels";
import { readSummary, type SummaryView } from "./summary";
import { ProgressBar, UploadStatusBadge } from "./upload-status";

/** What each serial finding code means, under its count. */
const SERIAL_CODE_NOTE: Record<string, string> = {
  invalid_gtin: "length or check digit (GS1 §7.9.1)",
  invalid_serial: "AI (21): 1–20 characters of set 82",
  invalid_lot: "AI (10): 1–20 characters of set 82",
  invalid_expiry: "AI (17): not a real YYMMDD date",
  duplicate_serial: "GTIN + serial commissioned twice",
  illegal_transition: "EPCIS events out of order",
  expired_shipped: "shipped or dispensed after expiry",
};

/**
 * The detail of one upload: status (polled every {@link POLL_MS} ms while the server works on
 * it, with the processing progress), the error message of a failed upload, the summary (serial
 * sheets: rows, valid rows and counts per code; compliance sheets: counts per severity and the
 * insights text with who wrote it), a chart of findings by code, the findings table, and the
 * report and original-file downloads. `ruleSetName`: the compliance rule set's name, if any.
 */
export function UploadDetail({ initial, ruleSetName }: { initial: UploadDTO; ruleSetName: string | null }) {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: queryKeys.uploads.one(initial.id),
    queryFn: ({ signal }) => fetchUploadById(initial.id, signal),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? POLL_MS : false),
  });
  const u = q.data;
  const active = isActive(u.status);

  useEffect(() => {
    if (!active) void queryClient.invalidateQueries({ queryKey: queryKeys.uploads.list(null) });
  }, [active, queryClient]);

  const view = readSummary(u.kind, u.summary);
  const base = `/api/uploads/${u.id}`;
  // Employee sheets and registers (compliance sheets named as a dataset, without a rule set) are data, not checked.
  const dataOnly = u.kind === "compliance" && !u.ruleSetId;

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/files" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
          Files
        </Link>{" "}
        <span aria-hidden="true" className="text-slate-500">/</span> <span className="text-slate-700">{u.filename}</span>
      </nav>

      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm text-slate-600">{KIND_LABEL[u.kind]}</p>
          <h1 className="break-all text-xl font-semibold tracking-tight text-slate-900">{u.filename}</h1>
          <div className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-700">
            <UploadStatusBadge status={u.status} testId="upload-status" />
            <span>{formatBytes(u.size)}</span>
            <span aria-hidden="true">·</span>
            <span>Uploaded by {u.owner}</span>
            <span aria-hidden="true">·</span>
            <time dateTime={u.createdAt} suppressHydrationWarning>
              {formatAbsolute(u.createdAt)}
            </time>
            {ruleSetName ? (
              <>
                <span aria-hidden="true">·</span>
                <span>Rule set: {ruleSetName}</span>
              </>
            ) : null}
            {u.dataset ? (
              <>
                <span aria-hidden="true">·</span>
                <span>
                  Dataset <span className="font-mono">{u.dataset}</span>
                </span>
              </>
            ) : null}
            {u.ticketKey ? (
              <>
                <span aria-hidden="true">·</span>
                <Link href={`/tickets/${u.ticketKey}`} className="text-brand-700 underline underline-offset-2">
                  {u.ticketKey}
                </Link>
              </>
            ) : null}
          </div>
        </div>
        {u.status === "done" || u.status === "processing" ? (
          <div className="flex flex-wrap gap-2" data-testid="downloads">
            {u.status === "done" && u.kind !== "attachment" ? (
              <>
                <a href={`${base}/report?format=xlsx`} className={buttonClass("secondary", "sm")} data-testid="report-xlsx">
                  Findings report (Excel)
                </a>
                <a href={`${base}/report?format=csv`} className={buttonClass("secondary", "sm")} data-testid="report-csv">
                  Findings report (CSV)
                </a>
              </>
            ) : null}
            <a href={`${base}/download`} className={buttonClass("ghost", "sm")} data-testid="download-original">
              Original file
            </a>
          </div>
        ) : null}
      </div>

      {active ? (
        <Card className="px-4 py-3">
          <ProgressBar label="Processing progress" value={u.status === "processing" ? u.progress : null} testId="process-progress" />
          <p className="mt-2 text-xs text-slate-600">The sheet is being read and checked; this page updates by itself.</p>
        </Card>
      ) : null}
      {q.isError ? (
        <Alert tone="warning" live>
          Could not refresh the status ({q.error.message}).
        </Alert>
      ) : null}

      {u.status === "failed" ? (
        <Alert tone="error" title="This file could not be processed" live>
          <p data-testid="upload-error">{u.error?.message ?? "No reason was given."}</p>
          {u.error?.code ? <p className="mt-1 text-xs text-red-800">Code: {u.error.code}</p> : null}
          <p className="mt-1">
            Fix the file and{" "}
            <Link href="/files" className="font-medium underline underline-offset-2">
              upload it again
            </Link>
            .
          </p>
        </Alert>
      ) : null}

      {u.status === "done" ? (
        <>
          <SummarySection kind={dataOnly ? "data" : u.kind === "serials" || u.kind === "employees" ? u.kind : "compliance"} view={view} findingsCount={u.findingsCount} dataset={u.dataset ?? null} />
          {u.kind === "compliance" && u.insights ? (
            <InsightsCard text={u.insights} source={u.insightsSource ?? null} fallback={view.insightsFallback} />
          ) : null}
          {view.truncated ? (
            <Alert tone="warning">
              Only the first findings were stored; the counts above cover all {nf.format(u.findingsCount)} of them.
            </Alert>
          ) : null}
          {!dataOnly ? (
            <>
              <FindingsChart byCode={view.byCode} />
              <FindingsTable uploadId={u.id} codes={view.byCode.filter((c) => c.count > 0)} />
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function SummarySection({
  kind,
  view,
  findingsCount,
  dataset,
}: {
  /** `data`: registers, which are read but not checked. */
  kind: "serials" | "compliance" | "employees" | "data";
  view: SummaryView;
  findingsCount: number;
  dataset: string | null;
}) {
  const n = (x: number | null) => (x === null ? "–" : nf.format(x));
  return (
    <section aria-labelledby="summary-h" className="space-y-3">
      <h2 id="summary-h" className="text-base font-semibold text-slate-900">
        Summary
      </h2>
      {kind === "serials" ? (
        <>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
            <StatCard label="Rows" value={n(view.rows)} note="data rows checked" testId="summary-rows" />
            <StatCard label="Valid rows" value={n(view.valid)} note="rows without any finding" testId="summary-valid" />
            <StatCard label="Findings" value={nf.format(findingsCount)} note="in all codes" testId="summary-findings" />
          </div>
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label="Findings per code">
            {view.byCode.map((c) => (
              <li key={c.code}>
                <StatCard label={codeLabel(c.code)} value={nf.format(c.count)} note={SERIAL_CODE_NOTE[c.code] ?? c.code} testId={`count-${c.code}`} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {kind === "compliance" ? (
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          <StatCard label="Rows" value={n(view.rows)} note="data rows checked" testId="summary-rows" />
          <StatCard label="Rows with errors" value={n(view.rowsWithErrors)} note="at least one error" testId="summary-rows-with-errors" />
          <StatCard label="Errors" value={n(view.bySeverity?.error ?? null)} note="findings" testId="severity-error" />
          <StatCard label="Warnings" value={n(view.bySeverity?.warning ?? null)} note="findings" testId="severity-warning" />
          <StatCard label="Info" value={n(view.bySeverity?.info ?? null)} note="findings" testId="severity-info" />
        </div>
      ) : null}
      {kind === "employees" && view.employees ? (
        <>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
            <StatCard label="Rows" value={n(view.rows)} note={view.sheet ? `in sheet "${view.sheet}"` : "data rows"} testId="summary-rows" />
            <StatCard label="Created" value={n(view.employees.created)} note="new skill profiles" testId="summary-created" />
            <StatCard label="Updated" value={n(view.employees.updated)} note="matched by e-mail" testId="summary-updated" />
            <StatCard label="Rows with errors" value={n(view.employees.invalid)} note="not imported; see below" testId="summary-invalid" />
            <StatCard label="Invited" value={n(view.employees.invitedUsers)} note="new agent users" testId="summary-invited" />
          </div>
          {view.employees.newTeams.length ? (
            <p className="text-sm text-slate-700" data-testid="summary-new-teams">
              New teams created for departments that matched none: {view.employees.newTeams.join(", ")}.{" "}
              <Link href="/admin/teams" className="font-medium underline underline-offset-2">
                Review teams
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
      {kind === "data" ? (
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          <StatCard
            label="Rows"
            value={n(view.rows)}
            note={`${view.sheet ? `in sheet "${view.sheet}"` : "data rows"}${dataset ? `; referenced as ${dataset}` : ""}`}
            testId="summary-rows"
          />
          <div className="col-span-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm">
            <p className="text-xs font-medium uppercase tracking-wide text-slate-600">Columns</p>
            <p className="mt-1 text-slate-900">{view.headers.length ? view.headers.join(", ") : "–"}</p>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** The compliance insights text and who wrote it: an LLM (`llm:<model>`) or the deterministic summary. */
function InsightsCard({ text, source, fallback }: { text: string; source: string | null; fallback: string | null }) {
  const llm = source?.startsWith("llm:") ? source.slice(4) : null;
  return (
    <Card aria-labelledby="insights-h">
      <CardHeader>
        <h2 id="insights-h" className="text-sm font-semibold text-slate-900">
          Insights
        </h2>
        <p className="text-xs text-slate-600" data-testid="insights-source">
          {llm ? `Written by an LLM (${llm}) from the counts; every number checked` : "Deterministic summary of the counts"}
        </p>
      </CardHeader>
      <p className="whitespace-pre-line px-4 py-3 text-sm text-slate-900" data-testid="insights">
        {text}
      </p>
      {fallback ? (
        <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-600">
          The LLM&apos;s summary was not used ({fallback}); this one is computed from the counts.
        </p>
      ) : null}
    </Card>
  );
}
