import Link from "next/link";
import { UploadStatusBadge } from "@/components/files/upload-status";
import { RelativeTime } from "@/components/ui/time";
import type { UploadStatus } from "@/components/files/labels";
import type { EmployeeUploadView } from "@/lib/routing/employees/uploads";

/**
 * The newest employee sheet uploads: status, what the import did (created, updated, rows not
 * imported, new teams) or why it failed, and the first row-level findings; each links to its
 * page under /files.
 */
export function EmployeeUploads({ items }: { items: EmployeeUploadView[] }) {
  if (items.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">No employee sheet uploaded yet.</p>;
  return (
    <ul className="divide-y divide-slate-200" data-testid="employee-uploads">
      {items.map((u) => (
        <li key={u.id} className="space-y-1 px-4 py-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <Link href={`/files/${u.id}`} className="break-all font-medium text-brand-700 underline underline-offset-2">
              {u.filename}
            </Link>
            <UploadStatusBadge status={u.status as UploadStatus} />
            <span className="text-xs text-slate-600">
              {u.ownerLabel} · <RelativeTime iso={u.createdAt} />
            </span>
          </div>
          {u.status === "done" && u.summary ? (
            <p className="text-slate-800">
              {u.summary.rows ?? 0} rows: {u.summary.created ?? 0} created, {u.summary.updated ?? 0} updated, {u.summary.invalid ?? 0} not imported
              {u.summary.newTeams?.length ? `; new teams: ${u.summary.newTeams.map((t) => t.name).join(", ")}` : ""}.
            </p>
          ) : null}
          {u.status === "failed" && u.error ? <p className="text-red-800">{u.error.message}</p> : null}
          {u.findings.length > 0 ? (
            <ul className="list-inside list-disc text-xs text-slate-700" aria-label={`Rows not imported from ${u.filename}`}>
              {u.findings.map((f, i) => (
                <li key={i}>
                  Row {f.row}
                  {f.column ? `, ${f.column}` : ""}: {f.message}
                </li>
              ))}
              {u.findingsCount > u.findings.length ? <li>… and {u.findingsCount - u.findings.length} more on the file&apos;s page</li> : null}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
