import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businessCalendars, categories, slaPolicies, teams, type Priority, type SlaEscalation, type WaitingReason } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { assertAdmin, assertUuid, audit, conflict, type Tx } from "./common";
import type { CreatePolicyInput, UpdatePolicyInput } from "./schemas";

/*
 * SLA policies (admins). Every change writes an audit event (entity `sla_policy`, actions
 * sla_policy.created / .updated / .deleted) in the same transaction. Inputs are parsed by the
 * callers with CreatePolicySchema / UpdatePolicySchema. Changed targets are not pushed onto
 * running ticket clocks: they apply to new tickets and when a ticket's SLA is next recomputed
 * (priority/category/team change) by lib/sla/clock-service.ts.
 */

type Row = typeof slaPolicies.$inferSelect;

/** An SLA policy as the API and the admin page show it. Targets are business seconds. */
export interface PolicyDTO {
  id: string;
  name: string;
  priority: Priority;
  /** Category slug narrowing the policy, or null. */
  category: string | null;
  /** Team slug narrowing the policy, or null. */
  team: string | null;
  /** Requester e-mail domain narrowing the policy, or null. */
  orgDomain: string | null;
  calendarId: string;
  calendarName: string;
  firstResponseS: number;
  resolutionS: number;
  nextResponseS: number | null;
  pauseOn: WaitingReason[];
  atRiskPct: number;
  escalation: SlaEscalation;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

const WHAT = "SLA policies";
const NOT_FOUND = "SLA policy";

function toDTO(r: Row, calendarName: string): PolicyDTO {
  return {
    id: r.id,
    name: r.name,
    priority: r.priority,
    category: r.categorySlug,
    team: r.teamSlug,
    orgDomain: r.orgDomain,
    calendarId: r.calendarId,
    calendarName,
    firstResponseS: r.firstResponseS,
    resolutionS: r.resolutionS,
    nextResponseS: r.nextResponseS,
    pauseOn: [...r.pauseOn],
    atRiskPct: r.atRiskPct,
    escalation: r.escalation,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function auditState(r: Row): Record<string, unknown> {
  const { id: _i, createdAt: _c, updatedAt: _u, ...rest } = r;
  return rest;
}

/** The stored columns of a (complete) policy input. */
type Values = Omit<typeof slaPolicies.$inferInsert, "id" | "createdAt" | "updatedAt">;

function unprocessable(field: string, message: string): ApiError {
  return new ApiError("unprocessable", message, { field });
}

/** 422 for an unknown calendar, category, team or escalation team. @returns the calendar's name. */
async function checkReferences(db: DbOrTx, v: Values): Promise<string> {
  const [cal] = await db.select({ name: businessCalendars.name }).from(businessCalendars).where(eq(businessCalendars.id, v.calendarId)).limit(1);
  if (!cal) throw unprocessable("calendarId", "Unknown calendar");
  if (v.categorySlug) {
    const [c] = await db.select({ slug: categories.slug }).from(categories).where(eq(categories.slug, v.categorySlug)).limit(1);
    if (!c) throw unprocessable("category", `Unknown category '${v.categorySlug}'`);
  }
  const teamSlugs = [
    ["team", v.teamSlug],
    ["escalation", v.escalation?.teamSlug],
  ] as const;
  for (const [field, slug] of teamSlugs) {
    if (!slug) continue;
    const [t] = await db.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, slug)).limit(1);
    if (!t) throw unprocessable(field, `Unknown team '${slug}'`);
  }
  return cal.name;
}

/** 409 when another policy has the name, or the same scope (priority + category + team + organisation). */
async function checkUnique(db: DbOrTx, v: Values, exceptId?: string): Promise<void> {
  const notMe = exceptId ? ne(slaPolicies.id, exceptId) : undefined;
  const [byName] = await db
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(and(sql`lower(${slaPolicies.name}) = lower(${v.name})`, notMe))
    .limit(1);
  if (byName) throw conflict("duplicate_name", `A policy called "${v.name}" already exists`, { field: "name" });
  const [byScope] = await db
    .select({ name: slaPolicies.name })
    .from(slaPolicies)
    .where(
      and(
        eq(slaPolicies.priority, v.priority),
        sql`coalesce(${slaPolicies.categorySlug}, '') = ${v.categorySlug ?? ""}`,
        sql`coalesce(${slaPolicies.teamSlug}, '') = ${v.teamSlug ?? ""}`,
        sql`coalesce(${slaPolicies.orgDomain}, '') = ${v.orgDomain ?? ""}`,
        notMe,
      ),
    )
    .limit(1);
  if (byScope) {
    throw conflict("duplicate_scope", `The policy "${byScope.name}" already covers this priority, category, team and organisation`, {
      field: "priority",
      policy: byScope.name,
    });
  }
}

/**
 * All policies, by priority then name, with their calendar's name (admins).
 * @throws ApiError 403.
 */
export async function listPolicies(db: DbOrTx, actor: Principal): Promise<PolicyDTO[]> {
  assertAdmin(actor, WHAT);
  const rows = await db
    .select({ p: slaPolicies, calendarName: businessCalendars.name })
    .from(slaPolicies)
    .innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
    .orderBy(asc(slaPolicies.priority), asc(slaPolicies.name));
  return rows.map((r) => toDTO(r.p, r.calendarName));
}

/** One policy (admins). @throws ApiError 403, 404. */
export async function getPolicy(db: DbOrTx, id: string, actor: Principal): Promise<PolicyDTO> {
  assertAdmin(actor, WHAT);
  assertUuid(id, NOT_FOUND);
  const [r] = await db
    .select({ p: slaPolicies, calendarName: businessCalendars.name })
    .from(slaPolicies)
    .innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
    .where(eq(slaPolicies.id, id))
    .limit(1);
  if (!r) throw new ApiError("not_found", "SLA policy not found");
  return toDTO(r.p, r.calendarName);
}

/**
 * Create a policy (admins).
 * @throws ApiError 403, 409 (`details.reason` duplicate_name or duplicate_scope),
 *   422 (unknown calendar, category or team; `details.field` names it).
 */
export async function createPolicy(db: DbOrTx, input: CreatePolicyInput, actor: Principal): Promise<PolicyDTO> {
  assertAdmin(actor, WHAT);
  const values: Values = {
    name: input.name,
    priority: input.priority,
    categorySlug: input.category,
    teamSlug: input.team,
    orgDomain: input.orgDomain,
    calendarId: input.calendarId,
    firstResponseS: input.firstResponseS,
    resolutionS: input.resolutionS,
    nextResponseS: input.nextResponseS,
    pauseOn: input.pauseOn,
    atRiskPct: input.atRiskPct,
    escalation: input.escalation,
    active: input.active,
  };
  return db.transaction(async (tx) => {
    const calendarName = await checkReferences(tx, values);
    await checkUnique(tx, values);
    const [r] = await tx.insert(slaPolicies).values(values).returning();
    await audit(tx, actor, "sla_policy", r.id, "sla_policy.created", null, auditState(r));
    return toDTO(r, calendarName);
  });
}

async function lockPolicy(tx: Tx, id: string): Promise<Row> {
  assertUuid(id, NOT_FOUND);
  const [r] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, id)).for("update").limit(1);
  if (!r) throw new ApiError("not_found", "SLA policy not found");
  return r;
}

/**
 * Change a policy (admins); fields left out keep their value, `null` clears a narrowing field
 * or the next-response target. Running ticket clocks keep their targets until recomputed.
 * @throws ApiError 403, 404, 409 (duplicate_name, duplicate_scope), 422 (unknown calendar, category or team).
 */
export async function updatePolicy(db: DbOrTx, id: string, input: UpdatePolicyInput, actor: Principal): Promise<PolicyDTO> {
  assertAdmin(actor, WHAT);
  return db.transaction(async (tx) => {
    const before = await lockPolicy(tx, id);
    const values: Values = {
      name: input.name ?? before.name,
      priority: input.priority ?? before.priority,
      categorySlug: input.category !== undefined ? input.category : before.categorySlug,
      teamSlug: input.team !== undefined ? input.team : before.teamSlug,
      orgDomain: input.orgDomain !== undefined ? input.orgDomain : before.orgDomain,
      calendarId: input.calendarId ?? before.calendarId,
      firstResponseS: input.firstResponseS ?? before.firstResponseS,
      resolutionS: input.resolutionS ?? before.resolutionS,
      nextResponseS: input.nextResponseS !== undefined ? input.nextResponseS : before.nextResponseS,
      pauseOn: input.pauseOn ?? before.pauseOn,
      atRiskPct: input.atRiskPct ?? before.atRiskPct,
      escalation: input.escalation ?? before.escalation,
      active: input.active ?? before.active,
    };
    const calendarName = await checkReferences(tx, values);
    await checkUnique(tx, values, id);
    const [r] = await tx
      .update(slaPolicies)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(slaPolicies.id, id))
      .returning();
    await audit(tx, actor, "sla_policy", id, "sla_policy.updated", auditState(before), auditState(r));
    return toDTO(r, calendarName);
  });
}

/**
 * Delete a policy (admins). Tickets it applied to keep their clock (ticket_slas.policy_id is
 * set null; the policy name stays) until their SLA is next recomputed.
 * @throws ApiError 403, 404.
 */
export async function deletePolicy(db: DbOrTx, id: string, actor: Principal): Promise<void> {
  assertAdmin(actor, WHAT);
  await db.transaction(async (tx) => {
    const before = await lockPolicy(tx, id);
    await tx.delete(slaPolicies).where(eq(slaPolicies.id, id));
    await audit(tx, actor, "sla_policy", id, "sla_policy.deleted", auditState(before), null);
  });
}
