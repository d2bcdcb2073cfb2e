import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, complianceRuleSets } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { actorOf } from "@/lib/tickets/access";
import { issueList, RuleSetSchema, RulesSchema, type Rule, type RuleSet, type RuleSetInput, type UpdateRuleSetInput } from "./schema";
import { isUuid } from "@/lib/ids";

/*
 * Compliance rule sets (table compliance_rule_sets): admins create, edit and deactivate them;
 * agents read them to pick one for an upload. Every change writes an audit event in the same
 * transaction (entity `rule_set`, actions rule_set.created / .updated / .deactivated, with the
 * rules before and after). Inputs are parsed by the callers with RuleSetSchema /
 * UpdateRuleSetSchema (lib/files/compliance/schema.ts).
 */

export interface RuleSetDTO {
  id: string;
  name: string;
  description: string;
  rules: Rule[];
  active: boolean;
  /** 1 on creation, +1 on every change. */
  version: number;
  createdBy: string | null;
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
}

type Row = typeof complianceRuleSets.$inferSelect;

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can change compliance rule sets");
}

/**
 * The stored rules, parsed again with the current schema (defaults filled in).
 * @throws Error when a stored rule set no longer passes the schema (a server-side fault).
 */
export function storedRules(raw: unknown, id = "?"): Rule[] {
  const parsed = RulesSchema.safeParse(raw);
  if (!parsed.success) {
    const first = issueList(parsed.error)[0];
    throw new Error(`Stored rules of rule set ${id} no longer pass the schema: ${first?.path} ${first?.message}`);
  }
  return parsed.data;
}

function toDTO(r: Row): RuleSetDTO {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    rules: storedRules(r.rules, r.id),
    active: r.active,
    version: r.version,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const auditState = (r: Row) => ({ name: r.name, description: r.description, active: r.active, version: r.version, rules: r.rules });

/** 409 when another rule set (other than `exceptId`) has the same name, ignoring case. */
async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: complianceRuleSets.id, name: complianceRuleSets.name, active: complianceRuleSets.active })
    .from(complianceRuleSets)
    .where(sql`lower(${complianceRuleSets.name}) = lower(${name})`)
    .limit(2);
  if (clash && clash.id !== exceptId) {
    throw new ApiError(
      "conflict",
      clash.active ? `Another rule set is already called "${clash.name}"` : `An inactive rule set is already called "${clash.name}"; reactivate or rename it`,
      { field: "name" },
    );
  }
}

/**
 * Create a rule set (admins). Version 1; `createdBy` is the acting user (null for API keys).
 * @throws ApiError 403 (not an admin), 409 (name taken, ignoring case; `details.field` = "name").
 */
export async function createRuleSet(db: DbOrTx, input: RuleSet, actor: Principal): Promise<RuleSetDTO> {
  assertAdmin(actor);
  const row = await db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [r] = await tx
      .insert(complianceRuleSets)
      .values({ name: input.name, description: input.description, rules: input.rules, active: input.active, createdBy: actor.userId })
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "rule_set",
      entityId: r.id,
      ...actorOf(actor),
      action: "rule_set.created",
      before: null,
      after: auditState(r),
    });
    return r;
  });
  return toDTO(row);
}

type Tx = Parameters<Parameters<DbOrTx["transaction"]>[0]>[0];
type RowChange = Partial<Pick<Row, "name" | "description" | "rules" | "active">>;

/**
 * Lock a rule set's row, let `plan` decide the change (or none: null), apply it with a version
 * bump, and write the audit event — one transaction. @throws ApiError 403, 404, and what `plan` throws.
 */
async function changeRuleSet(
  db: DbOrTx,
  id: string,
  actor: Principal,
  plan: (before: Row, tx: Tx) => Promise<{ set: RowChange; action: string; audit: (before: Row, after: Row) => { before: Record<string, unknown>; after: Record<string, unknown> } } | null>,
): Promise<RuleSetDTO> {
  assertAdmin(actor);
  if (!isUuid(id)) throw new ApiError("not_found", "Rule set not found");
  const row = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(complianceRuleSets).where(eq(complianceRuleSets.id, id)).for("update").limit(1);
    if (!before) throw new ApiError("not_found", "Rule set not found");
    const change = await plan(before, tx);
    if (!change) return before;
    const [after] = await tx
      .update(complianceRuleSets)
      .set({ ...change.set, version: sql`${complianceRuleSets.version} + 1`, updatedAt: new Date() })
      .where(eq(complianceRuleSets.id, id))
      .returning();
    await tx.insert(auditEvents).values({ entityType: "rule_set", entityId: id, ...actorOf(actor), action: change.action, ...change.audit(before, after) });
    return after;
  });
  return toDTO(row);
}

/**
 * Replace a rule set's name, description and rules (and `active` when given); bumps `version`.
 * With `expectedVersion`, refuses to overwrite a newer version (someone else saved meanwhile).
 * @throws ApiError 403, 404, 409 (name taken; or version conflict with `details.currentVersion`).
 */
export function updateRuleSet(db: DbOrTx, id: string, input: UpdateRuleSetInput, actor: Principal): Promise<RuleSetDTO> {
  return changeRuleSet(db, id, actor, async (before, tx) => {
    if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
      throw new ApiError("conflict", `This rule set was changed meanwhile (now version ${before.version}, you edited version ${input.expectedVersion}); reload it and apply your change again`, {
        currentVersion: before.version,
      });
    }
    await assertNameFree(tx, input.name, id);
    return {
      set: { name: input.name, description: input.description, rules: input.rules, ...(input.active !== undefined ? { active: input.active } : {}) },
      action: "rule_set.updated",
      audit: (b, a) => ({ before: auditState(b), after: auditState(a) }),
    };
  });
}

/**
 * Deactivate a rule set (admins): it is no longer offered for new uploads; uploads already
 * checked against it keep their link and findings, and PUT with `active: true` brings it back.
 * Bumps `version`. Deactivating an inactive rule set changes nothing and writes no event.
 * @throws ApiError 403, 404.
 */
export function deactivateRuleSet(db: DbOrTx, id: string, actor: Principal): Promise<RuleSetDTO> {
  return changeRuleSet(db, id, actor, async (before) =>
    before.active
      ? {
          set: { active: false },
          action: "rule_set.deactivated",
          audit: (b, a) => ({ before: { active: true, version: b.version }, after: { active: false, version: a.version } }),
        }
      : null,
  );
}

/**
 * Create a rule set as the system (demo seed, start-up) unless one with the same name exists;
 * returns the stored one either way. Idempotent, race-safe (ON CONFLICT on the unique name).
 * E.g. `ensureRuleSet(db, PHARMA_SHIPMENT_RULE_SET)`.
 * @throws ZodError when `input` does not pass RuleSetSchema.
 */
export async function ensureRuleSet(db: DbOrTx, input: RuleSetInput): Promise<RuleSetDTO> {
  const parsed = RuleSetSchema.parse(input);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(complianceRuleSets)
      .values({ name: parsed.name, description: parsed.description, rules: parsed.rules, active: parsed.active })
      .onConflictDoNothing({ target: complianceRuleSets.name })
      .returning();
    if (created) {
      await tx.insert(auditEvents).values({
        entityType: "rule_set",
        entityId: created.id,
        actorType: "system",
        actorId: null,
        actorLabel: "system",
        action: "rule_set.created",
        before: null,
        after: auditState(created),
      });
      return toDTO(created);
    }
    const [existing] = await tx.select().from(complianceRuleSets).where(eq(complianceRuleSets.name, parsed.name)).limit(1);
    return toDTO(existing);
  });
}

/** All rule sets by name (or only active ones). */
export async function listRuleSets(db: DbOrTx, opts: { activeOnly?: boolean } = {}): Promise<RuleSetDTO[]> {
  const q = db.select().from(complianceRuleSets);
  const rows = await (opts.activeOnly ? q.where(eq(complianceRuleSets.active, true)) : q).orderBy(asc(complianceRuleSets.name));
  return rows.map(toDTO);
}

/** One rule set, or null when there is none with this id (a malformed id counts as none). */
export async function getRuleSet(db: DbOrTx, id: string): Promise<RuleSetDTO | null> {
  if (!isUuid(id)) return null;
  const [r] = await db.select().from(complianceRuleSets).where(eq(complianceRuleSets.id, id)).limit(1);
  return r ? toDTO(r) : null;
}
