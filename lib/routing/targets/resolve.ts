import "server-only";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { externalTargets } from "@/db/schema";
import { decryptJson, decryptSecret } from "@/lib/crypto/secrets";
import type { ResolvedTarget } from "./types";

type TargetRow = typeof externalTargets.$inferSelect;

/**
 * A stored target with its secrets opened, for the push engine only.
 * @throws SecretDecryptError when its secrets were sealed with a key no longer configured.
 */
export function resolveTarget(r: TargetRow): ResolvedTarget {
  const secret = r.secretCiphertext ? decryptSecret(r.secretCiphertext) : null;
  // Slack: the hook URL is the credential, stored sealed in the secret column (targets/service.ts).
  const slackUrl = r.kind === "slack" && secret && /^https?:\/\//.test(secret) ? secret : null;
  return {
    id: r.id,
    name: r.name,
    teamSlug: r.teamSlug,
    kind: r.kind,
    url: slackUrl ?? r.url,
    method: r.method,
    headers: r.headersCiphertext ? decryptJson<Record<string, string>>(r.headersCiphertext) : {},
    secret: slackUrl ? null : secret,
    config: r.config,
    priorityThreshold: r.priorityThreshold,
    active: r.active,
    retryLimit: r.retryLimit,
    retryDelayS: r.retryDelayS,
  };
}

/** One target by id with secrets opened, or null when it is gone. */
export async function loadResolvedTarget(db: DbOrTx, id: string): Promise<ResolvedTarget | null> {
  const [r] = await db.select().from(externalTargets).where(eq(externalTargets.id, id)).limit(1);
  return r ? resolveTarget(r) : null;
}

/** The raw rows (no secrets opened) of a team's active targets. */
export async function activeTargetRows(db: DbOrTx, teamSlug: string): Promise<TargetRow[]> {
  return db
    .select()
    .from(externalTargets)
    .where(and(eq(externalTargets.teamSlug, teamSlug), eq(externalTargets.active, true)));
}
