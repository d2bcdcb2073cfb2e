import "server-only";
import { asc } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { categories, modules, projects, teams } from "@/db/schema";

export interface ReferenceData {
  teams: { slug: string; name: string; description: string }[];
  categories: { slug: string; name: string; description: string; teamSlug: string; active: boolean }[];
  modules: { slug: string; name: string }[];
  projects: { slug: string; name: string; moduleSlug: string | null }[];
  /** category slug → team slug (the routing map). */
  teamByCategory: Map<string, string>;
  categoryBySlug: Map<string, ReferenceData["categories"][number]>;
  teamBySlug: Map<string, ReferenceData["teams"][number]>;
  moduleSlugs: Set<string>;
  projectSlugs: Set<string>;
}

/** Reference data changes rarely; it is cached per process for 30 s (ms below). */
const TTL_MS = 30_000;
const globalForRef = globalThis as unknown as { __switchboardRef?: { data: ReferenceData; at: number }; __switchboardRefGen?: number };

/**
 * Teams, categories (with the category → team map), modules and projects, cached for 30 s.
 * Call {@link invalidateReferenceData} after changing any of them.
 *
 * Only loaded data is shared, never a load in progress: a caller whose cache entry is missing or
 * stale loads on its own `db` (4 small queries). A shared in-flight load ran on the connection of
 * whoever started it, and callers inside a transaction waited for it while holding their own
 * connection: when a caller on the pool started it and transactions held every pool connection,
 * it never got one and none of them finished (found by `npm run test:load` with inbound mail
 * only, 30 s: the cache expired mid-run and both instances hung).
 */
export async function getReferenceData(db: DbOrTx): Promise<ReferenceData> {
  const hit = globalForRef.__switchboardRef;
  if (hit && Date.now() - hit.at < TTL_MS) return hit.data;
  const gen = globalForRef.__switchboardRefGen ?? 0;
  const data = await loadReferenceData(db);
  // A load that began before an invalidation may have read the old rows: use it, don't keep it.
  if ((globalForRef.__switchboardRefGen ?? 0) === gen) globalForRef.__switchboardRef = { data, at: Date.now() };
  return data;
}

export function invalidateReferenceData(): void {
  globalForRef.__switchboardRefGen = (globalForRef.__switchboardRefGen ?? 0) + 1;
  globalForRef.__switchboardRef = undefined;
}

async function loadReferenceData(db: DbOrTx): Promise<ReferenceData> {
  const [t, c, m, p] = await Promise.all([
    db.select({ slug: teams.slug, name: teams.name, description: teams.description }).from(teams).orderBy(asc(teams.name)),
    db
      .select({
        slug: categories.slug,
        name: categories.name,
        description: categories.description,
        teamSlug: categories.teamSlug,
        active: categories.active,
      })
      .from(categories)
      .orderBy(asc(categories.name)),
    db.select({ slug: modules.slug, name: modules.name }).from(modules).orderBy(asc(modules.name)),
    db
      .select({ slug: projects.slug, name: projects.name, moduleSlug: projects.moduleSlug })
      .from(projects)
      .orderBy(asc(projects.name)),
  ]);
  return {
    teams: t,
    categories: c,
    modules: m,
    projects: p,
    teamByCategory: new Map(c.map((x) => [x.slug, x.teamSlug])),
    categoryBySlug: new Map(c.map((x) => [x.slug, x])),
    teamBySlug: new Map(t.map((x) => [x.slug, x])),
    moduleSlugs: new Set(m.map((x) => x.slug)),
    projectSlugs: new Set(p.map((x) => x.slug)),
  };
}
