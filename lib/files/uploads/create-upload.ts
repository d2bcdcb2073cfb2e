import "server-only";
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, complianceRuleSets, uploads } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { formatBytes } from "@/lib/files/sheets/errors";
import { presignPut, PUT_URL_TTL_S } from "@/lib/files/storage/s3";
import { actorOf, assertCanRead } from "@/lib/tickets/access";
import { findTicketRow } from "@/lib/tickets/queries";
import { assertMayUpload, ownerOf } from "./access";
import { ATTACHMENT_CONTENT_TYPES, SHEET_CONTENT_TYPES, type CreateUploadInput } from "./schemas";

/** What POST /api/uploads answers: where and how the browser PUTs the file. */
export interface CreatedUpload {
  id: string;
  url: string;
  method: "PUT";
  /** Headers the PUT must carry (the signed Content-Type). */
  headers: Record<string, string>;
  /** ISO time when the URL stops working. */
  expiresAt: string;
}

/** The object key: `u/<owner>/<upload id>/<file name>` with anything but [A-Za-z0-9._-] replaced. */
export function storageKey(prefix: string, id: string, filename: string): string {
  const safe = filename.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(-120) || "file";
  return `${prefix}${id}/${safe}`;
}

/**
 * Register an upload and hand out a presigned PUT bound to its content type and exact size
 * (bytes), under the caller's key prefix. Nothing is written when any check fails.
 * @throws ApiError 403 (kind not allowed for the role), 404 (ticket not visible, rule set unknown),
 *   413 (size over UPLOAD_MAX_BYTES), 415 (content type not accepted for the kind), 422 (rule set missing for a compliance sheet)
 */
export async function createUpload(db: Db, principal: Principal, input: CreateUploadInput): Promise<CreatedUpload> {
  assertMayUpload(principal, input.kind);
  const max = env().UPLOAD_MAX_BYTES;
  if (input.size > max) {
    throw new ApiError("payload_too_large", `The file is ${formatBytes(input.size)}; the limit is ${formatBytes(max)}`, { size: input.size, maxBytes: max });
  }
  const allowed: readonly string[] = input.kind === "attachment" ? ATTACHMENT_CONTENT_TYPES : SHEET_CONTENT_TYPES;
  if (!allowed.includes(input.contentType)) {
    throw new ApiError(
      "unsupported_media_type",
      input.kind === "attachment"
        ? `Files of type ${input.contentType} cannot be attached; attach images, PDFs, text, logs, sheets or zip files`
        : `A ${input.kind} sheet must be .xlsx, .xls or .csv (got ${input.contentType})`,
      { contentType: input.contentType, accepted: allowed },
    );
  }
  let ticketId: number | null = null;
  if (input.ticketKey) {
    const t = await findTicketRow(db, input.ticketKey);
    if (!t) throw new ApiError("not_found", `Ticket ${input.ticketKey} not found`);
    assertCanRead(principal, t);
    ticketId = t.id;
  }
  if (input.kind === "compliance" && (input.ruleSetId || !input.dataset)) {
    // A compliance sheet is checked against a rule set, or is a named register (dataset) that rule sets reference.
    if (!input.ruleSetId) throw new ApiError("unprocessable", "Choose the rule set to check this compliance sheet against, or name it as a dataset (register) other rule sets reference", { field: "ruleSetId" });
    const [rs] = await db.select({ id: complianceRuleSets.id, active: complianceRuleSets.active }).from(complianceRuleSets).where(eq(complianceRuleSets.id, input.ruleSetId));
    if (!rs || !rs.active) throw new ApiError("not_found", `Rule set ${input.ruleSetId} not found`);
  } else if (input.ruleSetId && input.kind !== "compliance") {
    throw new ApiError("unprocessable", "Only compliance sheets take a rule set", { field: "ruleSetId" });
  }
  const id = crypto.randomUUID();
  const owner = ownerOf(principal);
  const key = storageKey(owner.prefix, id, input.filename);
  const signed = await presignPut(key, { contentType: input.contentType, sizeBytes: input.size });
  await db.transaction(async (tx) => {
    await tx.insert(uploads).values({
      id,
      kind: input.kind,
      filename: input.filename,
      contentType: input.contentType,
      sizeBytes: input.size,
      storageKey: key,
      ownerUserId: owner.ownerUserId,
      ownerApiKeyId: owner.ownerApiKeyId,
      ownerLabel: owner.ownerLabel,
      ticketId,
      ruleSetId: input.ruleSetId ?? null,
      dataset: input.dataset ?? null,
      uploadExpiresAt: new Date(Date.now() + PUT_URL_TTL_S * 1000),
    });
    await tx.insert(auditEvents).values({
      ticketId,
      entityType: "upload",
      entityId: id,
      ...actorOf(principal),
      action: "upload.created",
      before: null,
      after: { kind: input.kind, filename: input.filename, size: input.size, contentType: input.contentType },
    });
  });
  return { id, url: signed.url, method: "PUT", headers: signed.headers, expiresAt: signed.expiresAt };
}
