import type { UploadDTO } from "./schemas";
import type { UploadRow } from "./access";

/** An upload row as the API returns it; `ticketKey` when linked to a ticket. */
export function toUploadDTO(row: UploadRow): UploadDTO {
  return {
    id: row.id,
    kind: row.kind as UploadDTO["kind"],
    filename: row.filename,
    size: row.sizeBytes,
    contentType: row.contentType,
    status: row.status as UploadDTO["status"],
    progress: Math.round(row.progress * 1000) / 1000,
    ...(row.error ? { error: row.error } : {}),
    ...(row.summary ? { summary: row.summary } : {}),
    findingsCount: row.findingsCount,
    ...(row.ticketId !== null ? { ticketKey: `T-${row.ticketId}` } : {}),
    ...(row.ruleSetId ? { ruleSetId: row.ruleSetId } : {}),
    ...(row.dataset ? { dataset: row.dataset } : {}),
    ...(row.insights ? { insights: row.insights, insightsSource: row.insightsSource ?? undefined } : {}),
    owner: row.ownerLabel,
    createdAt: row.createdAt.toISOString(),
    ...(row.processedAt ? { processedAt: row.processedAt.toISOString() } : {}),
  };
}
