import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, categories, teams } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { actorOf } from "@/lib/tickets/access";
import { insertCategoryExamples, type CategoryExampleDTO } from "./category-examples";
import type { CreateCategoryInput, CreateTeamInput, UpdateCategoryInput } from "./schemas";

function assertAdmin(p: Principal): void {
  if (!hasRole(p, "admin")) throw new ApiError("forbidden", "Only admins can change categories and teams");
}

export interface CategoryDTO {
  slug: string;
  name: string;
  description: string;
  team: string;
  active: boolean;
}

async function assertTeam(db: Db, slug: string): Promise<void> {
  const [t] = await db.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, slug)).limit(1);
  if (!t) throw new ApiError("unprocessable", `Unknown team '${slug}'`, { field: "team" });
}

/**
 * Create a category routed to a team (admins), optionally with example tickets (≤ 50, stored in
 * the same transaction, see ./category-examples.ts). The local triage model learns the category
 * from its examples and description at once, and from agents' corrections later (see
 * lib/triage/learning.ts); the LLM sees it at once in its prompt.
 * @returns the category, with `examples` when some were given.
 * @throws ApiError 403, 409 (slug or name taken), 422 unknown team.
 */
export async function createCategory(
  db: Db,
  input: CreateCategoryInput,
  principal: Principal,
): Promise<CategoryDTO & { examples?: CategoryExampleDTO[] }> {
  assertAdmin(principal);
  await assertTeam(db, input.team);
  const row = await db.transaction(async (tx) => {
    const [c] = await tx
      .insert(categories)
      .values({ slug: input.slug, name: input.name, description: input.description, teamSlug: input.team })
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "category",
      entityId: c.slug,
      ...actorOf(principal),
      action: "category.created",
      before: null,
      after: { name: c.name, team: c.teamSlug },
    });
    const examples = input.examples?.length ? await insertCategoryExamples(tx, c.slug, input.examples, principal) : undefined;
    return { c, examples };
  });
  invalidateReferenceData();
  const { c, examples } = row;
  return { slug: c.slug, name: c.name, description: c.description, team: c.teamSlug, active: c.active, ...(examples ? { examples } : {}) };
}

/** Change a category's name, description, routing or active flag (admins). @throws ApiError 403, 404, 409, 422. */
export async function updateCategory(db: Db, slug: string, input: UpdateCategoryInput, principal: Principal): Promise<CategoryDTO> {
  assertAdmin(principal);
  if (input.team) await assertTeam(db, input.team);
  const row = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(categories).where(eq(categories.slug, slug)).for("update").limit(1);
    if (!before) throw new ApiError("not_found", `Category '${slug}' not found`);
    const [c] = await tx
      .update(categories)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.team !== undefined ? { teamSlug: input.team } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where(eq(categories.slug, slug))
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "category",
      entityId: slug,
      ...actorOf(principal),
      action: "category.updated",
      before: { name: before.name, team: before.teamSlug, active: before.active, description: before.description },
      after: { name: c.name, team: c.teamSlug, active: c.active, description: c.description },
    });
    return c;
  });
  invalidateReferenceData();
  return { slug: row.slug, name: row.name, description: row.description, team: row.teamSlug, active: row.active };
}

/** Create a team / assignment group (admins). @throws ApiError 403, 409. */
export async function createTeam(db: Db, input: CreateTeamInput, principal: Principal) {
  assertAdmin(principal);
  const row = await db.transaction(async (tx) => {
    const [t] = await tx
      .insert(teams)
      .values({ slug: input.slug, name: input.name, description: input.description, email: input.email ?? null })
      .returning();
    await tx.insert(auditEvents).values({
      entityType: "team",
      entityId: t.slug,
      ...actorOf(principal),
      action: "team.created",
      before: null,
      after: { name: t.name },
    });
    return t;
  });
  invalidateReferenceData();
  return { slug: row.slug, name: row.name, description: row.description, email: row.email };
}
