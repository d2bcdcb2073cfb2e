import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundMessages } from "@/db/schema";
import { ApiError } from "@/lib/http/errors";
import { processParsed, type IngestResult } from "./ingest";
import { parseMessage } from "./parse";

/**
 * Process a stored inbound message again from its raw bytes: one left `failed` (parsing or
 * processing threw) or `received` (never processed). Same rules as ingestEmail, except that the
 * per-sender rate limit is not applied (someone asked for this replay). The row keeps its id and
 * Message-ID; it ends `processed`, `ignored`, `bounced` or `failed` again (with the new error).
 * Two replays at once: the second finds the row done and answers `duplicate: true`.
 *
 * @throws ApiError 404 when the row does not exist; 409 invalid_transition when it is neither
 *   `failed` nor `received` (nothing to replay).
 */
export async function replayInbound(db: Db, inboundId: number): Promise<IngestResult> {
  const [row] = await db
    .select({ id: inboundMessages.id, status: inboundMessages.status, source: inboundMessages.source, raw: inboundMessages.raw, messageId: inboundMessages.messageId })
    .from(inboundMessages)
    .where(eq(inboundMessages.id, inboundId));
  if (!row) throw new ApiError("not_found", `Inbound message ${inboundId} not found`);
  if (row.status !== "failed" && row.status !== "received") {
    throw new ApiError("invalid_transition", `Inbound message ${inboundId} is ${row.status}; only failed or received messages can be replayed`, { status: row.status });
  }
  const raw = Buffer.from(row.raw);
  let parsed;
  try {
    parsed = await parseMessage(raw);
  } catch (err) {
    const message = `The message could not be parsed: ${err instanceof Error ? err.message : String(err)}`;
    await db.update(inboundMessages).set({ status: "failed", reason: "unprocessable", error: message, processedAt: new Date() }).where(eq(inboundMessages.id, row.id));
    return { inboundId: row.id, status: "failed", duplicate: false, reason: "unprocessable", error: { code: "unprocessable", message, status: 422 } };
  }
  // The row's Message-ID is the identity (a synthetic one was made from the same raw bytes).
  return processParsed(db, raw, { ...parsed, messageId: row.messageId }, { source: row.source, replayId: row.id });
}
