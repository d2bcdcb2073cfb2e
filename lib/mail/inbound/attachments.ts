import "server-only";
import crypto from "node:crypto";
import type { Tx } from "@/db/client";
import { auditEvents, uploads } from "@/db/schema";
import { env } from "@/lib/env";
import { formatBytes, isAllowedFor, sniffContent } from "@/lib/files/sheets";
import { putObject } from "@/lib/files/storage/s3";
import { MAX_ATTACHMENTS } from "@/lib/files/uploads/attach";
import { storageKey } from "@/lib/files/uploads/create-upload";
import { actorOf } from "@/lib/tickets/access";
import type { InboundSender } from "./sender";
import type { InboundAttachment } from "./parse";

/** Inline (multipart/related) images below this size are signature logos and tracking pixels: not stored. */
export const INLINE_IMAGE_MIN_BYTES = 16 * 1024;

/** An attachment that passed the checks, with its sniffed type and object key. */
export interface AcceptedAttachment {
  filename: string;
  content: Buffer;
  size: number;
  mime: string;
  key: string;
}

/** What became of a message's attachments: the accepted ones and a line per refused one. */
export interface AttachmentPlan {
  accepted: AcceptedAttachment[];
  /** "report.exe: this type of file cannot be attached", for the comment or description. */
  refused: string[];
}

/**
 * Decide which attachments of an inbound message are stored, with the rules of browser uploads
 * (lib/files/uploads): at most MAX_ATTACHMENTS (10), each ≤ UPLOAD_MAX_BYTES, and the CONTENT
 * (magic bytes, not the declared type or name) must be an attachable type (images, PDF, text,
 * sheets, ZIP: lib/files/sheets/sniff.ts isAllowedFor). Inline images under 16 KB (logos) are
 * skipped silently. Object keys are derived from the Message-ID, so a retried message writes the
 * same objects again instead of new ones: `u/inbound/<sha256(message id)>-<n>/<file name>`.
 */
export async function planAttachments(list: readonly InboundAttachment[], messageId: string): Promise<AttachmentPlan> {
  const max = env().UPLOAD_MAX_BYTES;
  const hash = crypto.createHash("sha256").update(messageId).digest("hex").slice(0, 32);
  const accepted: AcceptedAttachment[] = [];
  const refused: string[] = [];
  let n = 0;
  for (const a of list) {
    if (a.related && a.contentType.startsWith("image/") && a.size < INLINE_IMAGE_MIN_BYTES) continue;
    const name = a.filename.slice(-255);
    if (a.size === 0) continue;
    if (accepted.length >= MAX_ATTACHMENTS) {
      refused.push(`${name}: more than ${MAX_ATTACHMENTS} attachments`);
      continue;
    }
    if (a.size > max) {
      refused.push(`${name}: ${formatBytes(a.size)} is over the ${formatBytes(max)} limit`);
      continue;
    }
    const sniffed = await sniffContent(a.content, { filename: name });
    if (!sniffed || !isAllowedFor("attachment", sniffed)) {
      refused.push(`${name}: this type of file cannot be attached`);
      continue;
    }
    accepted.push({ filename: name, content: a.content, size: a.size, mime: sniffed.mime, key: storageKey("u/inbound/", `${hash}-${n++}`, name) });
  }
  return { accepted, refused };
}

/**
 * Put the accepted files into the object store (lib/files/storage/s3.ts) and record them as
 * checked attachments (uploads rows, kind `attachment`, status `done`) of the ticket and, for a
 * reply, its comment, with an `attachment.added` audit event each — in the caller's transaction.
 * The uploader is the sender (their user id when they have an account; the label is the address).
 * @throws when the object store fails (the caller's transaction rolls back; the message can be replayed)
 */
export async function storeAttachments(
  tx: Tx,
  plan: AttachmentPlan,
  sender: InboundSender,
  target: { ticketId: number; commentId: number | null },
): Promise<number> {
  if (plan.accepted.length === 0) return 0;
  for (const a of plan.accepted) await putObject(a.key, a.content, a.mime);
  const now = new Date();
  const inserted = await tx
    .insert(uploads)
    .values(
      plan.accepted.map((a) => ({
        kind: "attachment",
        filename: a.filename,
        contentType: a.mime,
        sizeBytes: a.size,
        sniffedType: a.mime,
        storageKey: a.key,
        ownerUserId: sender.user?.id ?? null,
        ownerLabel: sender.email,
        ticketId: target.ticketId,
        commentId: target.commentId,
        status: "done",
        progress: 1,
        uploadExpiresAt: now,
        completedAt: now,
        processedAt: now,
      })),
    )
    .returning({ id: uploads.id, filename: uploads.filename, size: uploads.sizeBytes, type: uploads.sniffedType });
  const actor = actorOf(sender.principal);
  await tx.insert(auditEvents).values(
    inserted.map((u) => ({
      ticketId: target.ticketId,
      entityType: "upload",
      entityId: u.id,
      ...actor,
      action: "attachment.added",
      before: null,
      after: { filename: u.filename, size: u.size, type: u.type, commentId: target.commentId, via: "email" },
    })),
  );
  return inserted.length;
}
