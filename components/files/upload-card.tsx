"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import { formatBytes } from "@/lib/files/sheets/errors";
import type { UploadKind } from "@/lib/files/types";
import { CreateUploadSchema, type UploadDTO } from "@/lib/files/uploads/schemas";
import { queryKeys } from "@/lib/query-keys";
import { fetchUploadById, POLL_MS } from "./files-api";
import { isActive, KIND_LABEL } from "./labels";
import { ProgressBar, UploadStatusBadge } from "./upload-status";
import { uploadFile, UploadFailed } from "./upload-client";

/** A rule set as the upload form offers it. */
export interface RuleSetOption {
  id: string;
  name: string;
  description: string;
}

type SheetKind = Exclude<UploadKind, "attachment">;

const KIND_HINT: Record<SheetKind, string> = {
  serials: "GTIN, serial, lot, expiry and optional EPCIS events per row; checked against the GS1 rules and earlier uploads.",
  compliance: "Any register; checked against the rule set you choose.",
  employees: "People and their skills, used by routing (admins).",
};

interface UploadError {
  title: string;
  message: string;
  status: number | null;
  issues: string[];
}

function issuesOf(details: unknown): string[] {
  const list = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(list)) return [];
  return list
    .map((i: { path?: unknown; message?: unknown }) => (typeof i?.message === "string" ? i.message : null))
    .filter((m): m is string => m !== null);
}

/**
 * The upload form of /files: kind of sheet (serial, compliance with its rule set and optional
 * dataset name, employees for admins), the file, and Upload. Shows the transfer's real
 * progress (XHR upload events), then the processing progress polled from GET /api/uploads/{id}
 * every {@link POLL_MS} ms until the upload is done or failed, then a link to its findings.
 * Server errors (413 too large, 415 not a sheet, 422, …) are shown with the server's message.
 */
export function UploadCard({
  isAdmin,
  ruleSets,
  initialKind = "serials",
}: {
  isAdmin: boolean;
  ruleSets: RuleSetOption[];
  /** The kind selected at first (e.g. from /files?kind=employees). */
  initialKind?: SheetKind;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const [kind, setKind] = useState<SheetKind>(initialKind);
  const [ruleSetId, setRuleSetId] = useState(ruleSets[0]?.id ?? "");
  const [dataset, setDataset] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ file?: string; ruleSet?: string; dataset?: string }>({});
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<{ fraction: number; size: number } | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [error, setError] = useState<UploadError | null>(null);

  const upload = useQuery({
    queryKey: queryKeys.uploads.one(uploadId ?? "none"),
    queryFn: ({ signal }) => fetchUploadById(uploadId!, signal),
    enabled: uploadId !== null,
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? POLL_MS : false),
  });
  const current: UploadDTO | undefined = uploadId ? upload.data : undefined;
  const finished = current && !isActive(current.status);

  // The list shows the new status once the job has finished.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: queryKeys.uploads.list(null) });
  }, [finished, queryClient]);

  const kinds: SheetKind[] = isAdmin ? ["serials", "compliance", "employees"] : ["serials", "compliance"];

  function reset() {
    setError(null);
    setUploadId(null);
    setSent(null);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    const errs: typeof fieldErrors = {};
    if (!file) errs.file = "Choose a file (.xlsx, .xls or .csv).";
    if (kind === "compliance" && !ruleSetId && !dataset.trim()) {
      errs.ruleSet = "Choose the rule set to check this sheet against, or give it a dataset name to store it as a register.";
    }
    if (kind === "compliance" && dataset.trim()) {
      const d = CreateUploadSchema.shape.dataset.safeParse(dataset.trim());
      if (!d.success) errs.dataset = d.error.issues[0]?.message ?? "Not a valid dataset name";
    }
    setFieldErrors(errs);
    if (!file || Object.keys(errs).length) return;

    reset();
    setSending(true);
    setSent({ fraction: 0, size: file.size });
    const abort = new AbortController();
    abortRef.current = abort;
    try {
      const dto = await uploadFile(file, {
        kind,
        ...(kind === "compliance" ? { ...(ruleSetId ? { ruleSetId } : {}), ...(dataset.trim() ? { dataset: dataset.trim() } : {}) } : {}),
        onProgress: (fraction) => setSent({ fraction, size: file.size }),
        signal: abort.signal,
      });
      queryClient.setQueryData(queryKeys.uploads.one(dto.id), dto);
      setUploadId(dto.id);
      void queryClient.invalidateQueries({ queryKey: queryKeys.uploads.list(null) });
    } catch (err) {
      const f = err instanceof UploadFailed ? err : null;
      setError({
        title: f?.code === "aborted" ? "Upload cancelled" : "The upload failed",
        message: f ? f.message : err instanceof Error ? err.message : String(err),
        status: f && f.status > 0 ? f.status : null,
        issues: f ? issuesOf(f.details) : [],
      });
      void queryClient.invalidateQueries({ queryKey: queryKeys.uploads.list(null) });
    } finally {
      setSending(false);
      abortRef.current = null;
    }
  }

  const kindHintId = `${id}-kind-hint`;
  const fileHintId = `${id}-file-hint`;
  const fileErrId = `${id}-file-err`;
  const rsErrId = `${id}-rs-err`;
  const dsHintId = `${id}-ds-hint`;
  const dsErrId = `${id}-ds-err`;
  const rs = ruleSets.find((r) => r.id === ruleSetId);

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader>
        <h2 id={`${id}-h`} className="text-sm font-semibold text-slate-900">
          Upload a sheet
        </h2>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate className="space-y-4 px-4 py-3">
        <fieldset aria-describedby={kindHintId}>
          <legend className="text-sm font-medium text-slate-800">Kind of sheet</legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
            {kinds.map((k) => (
              <label key={k} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="radio"
                  name="kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                  disabled={sending}
                  className="h-4 w-4 accent-brand-600"
                />
                {KIND_LABEL[k]}
              </label>
            ))}
          </div>
          <Hint id={kindHintId}>{KIND_HINT[kind]}</Hint>
        </fieldset>

        {kind === "compliance" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <Label htmlFor={`${id}-rs`}>Rule set</Label>
              <select
                id={`${id}-rs`}
                className={`${controlClass} mt-1`}
                value={ruleSetId}
                onChange={(e) => setRuleSetId(e.target.value)}
                disabled={sending}
                aria-invalid={fieldErrors.ruleSet ? true : undefined}
                aria-describedby={describedBy(`${id}-rs-hint`, fieldErrors.ruleSet && rsErrId)}
              >
                {ruleSets.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
                <option value="">None: a register that rule sets look values up in</option>
              </select>
              <Hint id={`${id}-rs-hint`}>
                {rs ? rs.description || "The rules this sheet is checked against." : ruleSets.length ? "Not checked: stored under its dataset name." : "No active rule sets yet: an admin adds them under Admin."}
              </Hint>
              <FieldError id={rsErrId} message={fieldErrors.ruleSet} />
            </div>
            <div>
              <Label htmlFor={`${id}-ds`}>Dataset name (optional)</Label>
              <input
                id={`${id}-ds`}
                className={`${controlClass} mt-1 font-mono`}
                value={dataset}
                onChange={(e) => setDataset(e.target.value)}
                disabled={sending}
                placeholder="batch-register"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={fieldErrors.dataset ? true : undefined}
                aria-describedby={describedBy(dsHintId, fieldErrors.dataset && dsErrId)}
              />
              <Hint id={dsHintId}>
                Name this sheet so rule sets can look values up in it (needed without a rule set): lower-case letters, digits, dashes.
              </Hint>
              <FieldError id={dsErrId} message={fieldErrors.dataset} />
            </div>
          </div>
        ) : null}

        <div>
          <Label htmlFor={`${id}-file`}>File</Label>
          <input
            ref={fileRef}
            id={`${id}-file`}
            type="file"
            accept=".xlsx,.xls,.csv"
            disabled={sending}
            onChange={(e) => {
              setFileName(e.target.files?.[0]?.name ?? null);
              setFieldErrors((f) => ({ ...f, file: undefined }));
            }}
            aria-invalid={fieldErrors.file ? true : undefined}
            aria-describedby={describedBy(fileHintId, fieldErrors.file && fileErrId)}
            className="mt-1 block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-50"
          />
          <Hint id={fileHintId}>Excel (.xlsx, .xls) or CSV. The first row with headers is found automatically.</Hint>
          <FieldError id={fileErrId} message={fieldErrors.file} />
        </div>

        <div className="flex items-center gap-2">
          <Button type="submit" disabled={sending}>
            {sending ? "Uploading…" : "Upload"}
          </Button>
          {sending ? (
            <Button variant="secondary" onClick={() => abortRef.current?.abort()}>
              Cancel
            </Button>
          ) : null}
        </div>

        {sent ? (
          <div className="space-y-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-3" data-testid="upload-progress">
            <p className="text-sm text-slate-800">
              <span className="font-medium">{fileName ?? "File"}</span> <span className="text-slate-600">({formatBytes(sent.size)})</span>
              {current ? (
                <>
                  {" "}
                  <UploadStatusBadge status={current.status} testId="upload-card-status" />
                </>
              ) : null}
            </p>
            <ProgressBar
              label="Sending the file"
              value={sent.fraction}
              tone={error && !uploadId ? "error" : sent.fraction >= 1 ? "success" : "brand"}
              testId="send-progress"
            />
            {uploadId ? (
              <ProgressBar
                label="Checking the rows"
                value={current ? (current.status === "done" ? 1 : current.progress) : null}
                tone={current?.status === "failed" ? "error" : current?.status === "done" ? "success" : "brand"}
                testId="process-progress"
              />
            ) : null}
          </div>
        ) : null}

        {error ? (
          <Alert tone="error" title={error.title} live>
            <p data-testid="upload-error">
              {error.message}
              {error.status ? <span className="text-red-800"> (HTTP {error.status})</span> : null}
            </p>
            {error.issues.length ? (
              <ul className="mt-1 list-disc pl-5">
                {error.issues.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}

        {current?.status === "failed" ? (
          <Alert tone="error" title="The sheet could not be processed" live>
            <p data-testid="upload-error">{current.error?.message ?? "No reason was given."}</p>
            <p className="mt-1">
              <Link href={`/files/${current.id}`} className="font-medium underline underline-offset-2">
                Open the upload
              </Link>
            </p>
          </Alert>
        ) : null}

        {current?.status === "done" ? (
          <Alert tone="success" title="Processed" live>
            <p data-testid="upload-done">
              {current.findingsCount === 0 ? "No findings." : `${current.findingsCount} finding${current.findingsCount === 1 ? "" : "s"}.`}{" "}
              <Link href={`/files/${current.id}`} className="font-medium underline underline-offset-2">
                View the results
              </Link>
            </p>
          </Alert>
        ) : null}
        {upload.isError && uploadId ? (
          <Alert tone="warning" live>
            Could not refresh the status ({upload.error.message}); retrying.
          </Alert>
        ) : null}
      </form>
    </Card>
  );
}
