import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { uploadFindings } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { loadVisibleUpload } from "./access";

/** A ticket draft for one finding: what /submit pre-fills, and the metadata that links it back. */
export interface FindingTicketDraft {
  title: string;
  description: string;
  /** Stored in the ticket's metadata: `{upload: {id, filename, kind, finding: seq, code}}`. */
  metadata: { upload: { id: string; filename: string; kind: string; finding: number; code: string } };
}

/**
 * Draft a ticket about finding `seq` of an upload: title "<code> in <file>, row N", a
 * description with sheet, row, column, value and message, and metadata linking to the upload.
 * @throws ApiError 404 when the upload is not visible or has no such finding
 */
export async function findingTicketDraft(db: DbOrTx, principal: Principal, uploadId: string, seq: number): Promise<FindingTicketDraft> {
  const u = await loadVisibleUpload(db, principal, uploadId);
  const [f] = await db.select().from(uploadFindings).where(and(eq(uploadFindings.uploadId, uploadId), eq(uploadFindings.seq, seq)));
  if (!f) throw new ApiError("not_found", `Finding ${seq} of upload ${uploadId} not found`);
  const where = `sheet "${f.sheet}", row ${f.row}${f.column ? `, column "${f.column}"` : ""}`;
  const title = `${f.code.replace(/_/g, " ")} in ${u.filename}, row ${f.row}`.slice(0, 200);
  const description = [
    `The ${u.kind} sheet "${u.filename}" has a finding (${f.severity}) at ${where}.`,
    "",
    `Code: ${f.code}`,
    `Message: ${f.message}`,
    ...(f.value !== null ? [`Value: ${f.value}`] : []),
    "",
    `Upload: /files/${u.id}`,
  ]
    .join("\n")
    .slice(0, 5000);
  return { title, description, metadata: { upload: { id: u.id, filename: u.filename, kind: u.kind, finding: f.seq, code: f.code } } };
}
