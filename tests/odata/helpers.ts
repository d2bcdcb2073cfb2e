import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { odataSources } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { FetchOptions } from "@/lib/odata/client";

/** Client options of test pulls: retries recorded instead of slept. */
export function noSleep(delays: number[] = []): Partial<FetchOptions> {
  return { sleep: async (ms) => void delays.push(ms), timeoutMs: 5000 };
}

/** Mapping of the fake's notifications (SAP PM-like property names). */
export const MAPPING = {
  title: "ShortText",
  description: "LongText",
  priority: "Priority",
  externalId: "NotificationId",
  changedAt: "ChangedAt",
  priorityMap: { "1": "P1", "2": "P2", "3": "P3", "4": "P4" },
  defaultPriority: "P3",
  closed: { field: "Status", values: ["CLOSED", "NOCO"] },
} as const;

/** Insert a source row directly (the API tests go through the service). */
export async function insertSource(
  db: Db,
  o: { name: string; version: "v2" | "v4"; baseUrl: string; entitySet?: string; filter?: string; select?: string; reportTo?: string[]; auth?: { kind: "basic" | "bearer"; username?: string; secret: string }; sapClient?: string; sapLanguage?: string },
): Promise<string> {
  const [r] = await db
    .insert(odataSources)
    .values({
      name: o.name,
      version: o.version,
      baseUrl: o.baseUrl,
      entitySet: o.entitySet ?? "NotificationSet",
      filter: o.filter ?? null,
      select: o.select ?? null,
      authKind: o.auth?.kind ?? "none",
      username: o.auth?.username ?? null,
      secretCiphertext: o.auth ? encryptSecret(o.auth.secret) : null,
      sapClient: o.sapClient ?? null,
      sapLanguage: o.sapLanguage ?? null,
      mapping: { ...MAPPING, priorityMap: { ...MAPPING.priorityMap }, closed: { field: MAPPING.closed.field, values: [...MAPPING.closed.values] } },
      categorySlug: null,
      teamSlug: "service-desk",
      intervalMin: 15,
      reportTo: o.reportTo ?? [],
    })
    .returning({ id: odataSources.id });
  return r.id;
}

/** Tickets a source made (by metadata), with their comments count. */
export async function odataTickets(db: Db, sourceId: string) {
  return rows<{ id: number; key: string; title: string; priority: string; source: string; external_id: string; notes: number }>(
    db,
    sql`SELECT t.id::float8 AS id, t.key, t.title, t.priority::text AS priority, t.source::text AS source,
          t.metadata->'odata'->>'externalId' AS external_id,
          (SELECT count(*) FROM ticket_comments c WHERE c.ticket_id = t.id)::int AS notes
        FROM tickets t WHERE t.metadata->'odata'->>'sourceId' = ${sourceId} ORDER BY t.id`,
  );
}

/** The stored source row. */
export async function sourceRow(db: Db, id: string) {
  const [r] = await db.select().from(odataSources).where(eq(odataSources.id, id));
  return r;
}
