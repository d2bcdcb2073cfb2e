import "server-only";
import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { uploadFindings, uploads } from "@/db/schema";

/** An employee sheet upload as /admin/employees lists it, with its first findings. */
export interface EmployeeUploadView {
  id: string;
  filename: string;
  status: string;
  createdAt: string;
  ownerLabel: string;
  error: { code: string; message: string } | null;
  summary: { rows?: number; created?: number; updated?: number; invalid?: number; newTeams?: { slug: string; name: string }[] } | null;
  findingsCount: number;
  /** The first findings in file order (row, column, message). */
  findings: { row: number; column: string | null; message: string }[];
}

/**
 * The newest employee sheet uploads (kind `employees`), newest first, each with up to
 * `findingsPerUpload` findings in file order. Admins only (the caller checks).
 */
export async function recentEmployeeUploads(db: DbOrTx, opts: { limit?: number; findingsPerUpload?: number } = {}): Promise<EmployeeUploadView[]> {
  const limit = opts.limit ?? 5;
  const per = opts.findingsPerUpload ?? 10;
  const list = await db
    .select()
    .from(uploads)
    .where(eq(uploads.kind, "employees"))
    .orderBy(desc(uploads.createdAt))
    .limit(limit);
  const ids = list.map((u) => u.id);
  const findings = ids.length
    ? await db
        .select({ uploadId: uploadFindings.uploadId, row: uploadFindings.row, column: uploadFindings.column, message: uploadFindings.message })
        .from(uploadFindings)
        .where(and(inArray(uploadFindings.uploadId, ids), lte(uploadFindings.seq, per)))
        .orderBy(asc(uploadFindings.uploadId), asc(uploadFindings.seq))
    : [];
  return list.map((u) => ({
    id: u.id,
    filename: u.filename,
    status: u.status,
    createdAt: u.createdAt.toISOString(),
    ownerLabel: u.ownerLabel,
    error: u.error ? { code: u.error.code, message: u.error.message } : null,
    summary: (u.summary as EmployeeUploadView["summary"]) ?? null,
    findingsCount: u.findingsCount,
    findings: findings.filter((f) => f.uploadId === u.id).map(({ row, column, message }) => ({ row, column, message })),
  }));
}
