import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, categories, categoryExamples } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { emitEvents } from "@/lib/jobs/events";
import { actorOf, type AuditActor } from "@/lib/tickets/access";
import type { CategoryExampleInput } from "./schemas";

/**
 * Example tickets of a category (issue #13 §4): an admin writes a few tickets that belong to a
 * category (typically a new one the trained model lacks). Each example is stored in
 * `category_examples` with an audit event and a `category.example_added` domain event in one
 * transaction; every process's local model learns it from that event (lib/triage/learning.ts),
 * exactly like an agent's correction. Deleting an example removes it from the database; running
 * processes forget it at their next start (the in-memory model cannot unlearn one example).
 */

/** A stored example as the API returns it. */
export interface CategoryExampleDTO {
  id: number;
  category: string;
  title: string;
  description: string;
  createdAt: string;
}

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can change category examples");
}

function toDTO(r: typeof categoryExamples.$inferSelect): CategoryExampleDTO {
  return {
    id: Number(r.id),
    category: r.categorySlug,
    title: r.title,
    description: r.description,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

async function assertCategory(db: DbOrTx, slug: string): Promise<void> {
  const [c] = await db.select({ slug: categories.slug }).from(categories).where(eq(categories.slug, slug)).limit(1);
  if (!c) throw new ApiError("not_found", `Category '${slug}' not found`);
}

/**
 * Insert examples of `slug` in the caller's transaction, with one audit event and one
 * `category.example_added` domain event per example. The category must exist (not checked here).
 * `by` is the acting principal, or an audit actor for system writers (the demo seed).
 * @returns the stored examples, in input order.
 */
export async function insertCategoryExamples(
  tx: DbOrTx,
  slug: string,
  examples: readonly CategoryExampleInput[],
  by: Principal | AuditActor,
): Promise<CategoryExampleDTO[]> {
  if (examples.length === 0) return [];
  const principal = "kind" in by ? by : null;
  const actor = principal ? actorOf(principal) : (by as AuditActor);
  const createdById = principal?.kind === "user" && /^\d+$/.test(principal.id) ? Number(principal.id) : null;
  const rows = await tx
    .insert(categoryExamples)
    .values(examples.map((e) => ({ categorySlug: slug, title: e.title ?? "", description: e.description, createdById })))
    .returning();
  await tx.insert(auditEvents).values(
    rows.map((r) => ({
      entityType: "category",
      entityId: slug,
      ...actor,
      action: "category.example_added",
      before: null,
      after: { exampleId: Number(r.id), title: r.title, description: r.description },
    })),
  );
  await emitEvents(
    tx,
    rows.map((r) => ({
      type: "category.example_added" as const,
      ticketId: null,
      actor: { type: actor.actorType, id: actor.actorId, label: actor.actorLabel },
      payload: { category: slug, exampleId: Number(r.id), title: r.title, description: r.description },
    })),
  );
  return rows.map(toDTO);
}

/**
 * List a category's examples, oldest first (admins).
 * @throws ApiError 403 non-admin, 404 unknown category.
 */
export async function listCategoryExamples(db: DbOrTx, slug: string, principal: Principal): Promise<CategoryExampleDTO[]> {
  assertAdmin(principal);
  await assertCategory(db, slug);
  const rows = await db
    .select()
    .from(categoryExamples)
    .where(eq(categoryExamples.categorySlug, slug))
    .orderBy(asc(categoryExamples.id));
  return rows.map(toDTO);
}

/**
 * Add examples to a category (admins); the local model of every process learns them.
 * @throws ApiError 403 non-admin, 404 unknown category.
 */
export async function addCategoryExamples(
  db: DbOrTx,
  slug: string,
  examples: readonly CategoryExampleInput[],
  principal: Principal,
): Promise<CategoryExampleDTO[]> {
  assertAdmin(principal);
  return db.transaction(async (tx) => {
    const [c] = await tx.select({ slug: categories.slug }).from(categories).where(eq(categories.slug, slug)).for("update").limit(1);
    if (!c) throw new ApiError("not_found", `Category '${slug}' not found`);
    return insertCategoryExamples(tx, slug, examples, principal);
  });
}

/**
 * Delete one example (admins). Running processes keep what they learned until restart.
 * @throws ApiError 403 non-admin, 404 unknown category or example.
 */
export async function deleteCategoryExample(db: DbOrTx, slug: string, id: number, principal: Principal): Promise<void> {
  assertAdmin(principal);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(categoryExamples)
      .where(and(eq(categoryExamples.categorySlug, slug), eq(categoryExamples.id, id)))
      .returning();
    if (!row) throw new ApiError("not_found", `Example ${id} of category '${slug}' not found`);
    await tx.insert(auditEvents).values({
      entityType: "category",
      entityId: slug,
      ...actorOf(principal),
      action: "category.example_deleted",
      before: { exampleId: Number(row.id), title: row.title, description: row.description },
      after: null,
    });
  });
}

/** Number of stored examples per category slug (categories without examples are absent). */
export async function countCategoryExamples(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .select({ slug: categoryExamples.categorySlug, n: count() })
    .from(categoryExamples)
    .groupBy(categoryExamples.categorySlug);
  return new Map(rows.map((r) => [r.slug, Number(r.n)]));
}
