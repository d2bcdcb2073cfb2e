import "server-only";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { externalPushes, externalTargets, ticketExternalLinks } from "@/db/schema";
import type { ExternalLinkDTO, PushStateDTO } from "./dto";

export type { ExternalLinkDTO, PushStateDTO };

/** The ticket's external records, oldest first. */
export async function listTicketExternalLinks(db: DbOrTx, ticketId: number): Promise<ExternalLinkDTO[]> {
  const rows = await db
    .select({
      target: externalTargets.name,
      kind: ticketExternalLinks.kind,
      externalId: ticketExternalLinks.externalId,
      url: ticketExternalLinks.externalUrl,
    })
    .from(ticketExternalLinks)
    .innerJoin(externalTargets, eq(externalTargets.id, ticketExternalLinks.targetId))
    .where(eq(ticketExternalLinks.ticketId, ticketId))
    .orderBy(asc(ticketExternalLinks.createdAt), asc(externalTargets.name));
  return rows;
}

/**
 * Per target, the ticket's newest push when it is pending or dead (a push that later
 * succeeded, or a target whose newest push is done, shows nothing here).
 */
export async function listTicketPushStates(db: DbOrTx, ticketId: number): Promise<PushStateDTO[]> {
  const rows = await db
    .select({
      pushId: externalPushes.id,
      targetId: externalPushes.targetId,
      target: externalTargets.name,
      kind: externalTargets.kind,
      action: externalPushes.action,
      status: externalPushes.status,
      attempts: externalPushes.attempts,
      lastStatusCode: externalPushes.lastStatusCode,
      lastError: externalPushes.lastError,
      lastAttemptAt: externalPushes.lastAttemptAt,
    })
    .from(externalPushes)
    .innerJoin(externalTargets, eq(externalTargets.id, externalPushes.targetId))
    .where(and(eq(externalPushes.ticketId, ticketId), inArray(externalPushes.status, ["pending", "dead", "done"])))
    .orderBy(desc(externalPushes.id))
    .limit(200);
  const seen = new Set<string>();
  const out: PushStateDTO[] = [];
  for (const r of rows) {
    if (seen.has(r.targetId)) continue;
    seen.add(r.targetId);
    if (r.status !== "pending" && r.status !== "dead") continue;
    out.push({
      pushId: Number(r.pushId),
      target: r.target,
      kind: r.kind,
      action: r.action,
      status: r.status,
      attempts: r.attempts,
      lastStatusCode: r.lastStatusCode,
      lastError: r.lastError,
      lastAttemptAt: r.lastAttemptAt ? new Date(r.lastAttemptAt).toISOString() : null,
    });
  }
  return out.sort((a, b) => a.target.localeCompare(b.target));
}
