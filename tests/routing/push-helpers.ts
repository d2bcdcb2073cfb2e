import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { externalTargets } from "@/db/schema";
import type { Priority } from "@/db/schema/enums";
import type { TargetKind } from "@/db/schema/routing";
import type { Principal } from "@/lib/auth/principal";
import { encryptJson, encryptSecret } from "@/lib/crypto/secrets";
import { createTicket } from "@/lib/tickets/create-ticket";
import { makeActor } from "../helpers/fixtures";

/** Insert a push target row directly (the admin service is another module), secrets sealed. */
export async function insertTarget(
  db: Db,
  t: {
    name: string;
    kind: TargetKind;
    url: string;
    team?: string;
    secret?: string;
    headers?: Record<string, string>;
    config?: Record<string, unknown>;
    threshold?: Priority;
    active?: boolean;
    retryLimit?: number;
    retryDelayS?: number;
    method?: "POST" | "PUT";
  },
): Promise<string> {
  const [r] = await db
    .insert(externalTargets)
    .values({
      name: t.name,
      teamSlug: t.team ?? "end-user-computing",
      kind: t.kind,
      url: t.url,
      method: t.method ?? "POST",
      headerNames: Object.keys(t.headers ?? {}),
      headersCiphertext: t.headers ? encryptJson(t.headers) : null,
      secretCiphertext: t.secret ? encryptSecret(t.secret) : null,
      config: t.config ?? {},
      priorityThreshold: t.threshold ?? "P4",
      active: t.active ?? true,
      retryLimit: t.retryLimit ?? 3,
      retryDelayS: t.retryDelayS ?? 1,
    })
    .returning({ id: externalTargets.id });
  return r.id;
}

/** File a ticket as an integration would (category `hardware` → team end-user-computing). */
export async function fileTicket(db: Db, opts: { title?: string; category?: string; priority?: Priority } = {}) {
  const { ticket } = await createTicket(
    db,
    {
      title: opts.title ?? "Docking station not detected",
      description: "The USB-C dock on my desk is not detected by the laptop since the last update",
      email: "alice@corp.test",
      category: opts.category ?? "hardware",
      priority: opts.priority ?? "P2",
    },
    { principal: null, defaultSource: "api" },
  );
  return ticket;
}

/** An agent principal for ticket updates and comments. */
export async function agentPrincipal(db: Db, email = "agent@corp.test"): Promise<Principal> {
  const a = await makeActor(db, email, "agent", { teamSlug: "end-user-computing" });
  return { kind: "user", id: a.id, role: "agent", userId: a.id, email, label: "Sam Agent" };
}

/** Poll `fn` every 100 ms until `ok` or `timeoutMs` (default 30 s); returns the last value. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() - t0 > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PushRow extends Record<string, unknown> {
  id: number;
  target: string;
  action: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
}

/** The pushes of a ticket (by key), oldest first, with their target's name. */
export function pushesOf(db: Db, key: string): Promise<PushRow[]> {
  return rows<PushRow>(
    db,
    sql`SELECT p.id::float8 AS id, t.name AS target, p.action, p.status, p.attempts, p.last_status_code, p.last_error
        FROM external_pushes p JOIN external_targets t ON t.id = p.target_id JOIN tickets k ON k.id = p.ticket_id
        WHERE k.key = ${key} ORDER BY p.id`,
  );
}

/** The external links of a ticket (by key), ordered by kind then target id. */
export function linksOf(db: Db, key: string) {
  return rows<{ target: string; kind: string; external_id: string | null; external_url: string | null }>(
    db,
    sql`SELECT t.name AS target, l.kind, l.external_id, l.external_url
        FROM ticket_external_links l JOIN external_targets t ON t.id = l.target_id JOIN tickets k ON k.id = l.ticket_id
        WHERE k.key = ${key} ORDER BY l.kind, l.created_at`,
  );
}
