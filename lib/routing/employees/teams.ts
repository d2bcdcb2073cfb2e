import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { teams } from "@/db/schema";
import { normalizeHeader } from "@/lib/files/sheets/header";
import { slugify } from "@/components/admin/slug";

/**
 * Short names people write for our seed teams (db/seed.ts) in a department column, each → the
 * team slug it stands for. Used only when that team exists and nothing matched by slug or name.
 * Kept deliberately small and explicit: a name that could mean two teams is not here (it
 * becomes a new team, reported in the import summary, which an admin can then rename or merge).
 *
 * - IT, IT support, help desk, support, first line → service-desk
 * - HR, human resources, people, people operations → hr-operations
 * - IAM, identity, access, identity and access management → identity-access
 * - EUC, desktop, desktop support, workplace, field services → end-user-computing
 * - infra, infrastructure, storage, servers, data center → infrastructure
 * - purchasing, buying → procurement
 * - project office, projects, PMO → pmo
 */
export const DEPARTMENT_ALIASES: Readonly<Record<string, string>> = {
  it: "service-desk", "it support": "service-desk", helpdesk: "service-desk", "help desk": "service-desk",
  support: "service-desk", "first line": "service-desk", "1st line": "service-desk", servicedesk: "service-desk",
  hr: "hr-operations", "human resources": "hr-operations", people: "hr-operations", "people operations": "hr-operations",
  "hr ops": "hr-operations",
  iam: "identity-access", identity: "identity-access", access: "identity-access", "identity and access": "identity-access",
  "identity and access management": "identity-access", "identity access": "identity-access",
  euc: "end-user-computing", desktop: "end-user-computing", "desktop support": "end-user-computing",
  workplace: "end-user-computing", "field services": "end-user-computing", "end user computing": "end-user-computing",
  infra: "infrastructure", infrastructure: "infrastructure", storage: "infrastructure", servers: "infrastructure",
  "data center": "infrastructure", "infrastructure and storage": "infrastructure",
  purchasing: "procurement", buying: "procurement",
  "project office": "pmo", projects: "pmo", "project management office": "pmo",
};

/** "Facilities & Buildings" → "facilities-buildings": a team slug from a name (the admin form's slugify: a-z, 0-9, dashes, ≤ 40). */
export const teamSlugFromName = slugify;

/** "Identity & Access" and "identity and access" compare equal. */
const key = (s: string) => normalizeHeader(s.replace(/&/g, " and "));

export interface TeamResolver {
  /**
   * The team slug for a team/department text: a team whose slug or name matches (case,
   * spacing, punctuation and `&`/`and` ignored), else an alias above, else a new team named
   * as written (created in the caller's transaction). Null for an empty text.
   */
  resolve(text: string): Promise<string | null>;
  /** Teams created through this resolver. */
  created: { slug: string; name: string }[];
}

/** A resolver over the teams as they are now in `db` (the caller's transaction). */
export async function teamResolver(db: DbOrTx): Promise<TeamResolver> {
  const rows = await db.select({ slug: teams.slug, name: teams.name }).from(teams);
  const bySlug = new Set(rows.map((t) => t.slug));
  const byKey = new Map<string, string>();
  for (const t of rows) {
    byKey.set(key(t.name), t.slug);
    byKey.set(key(t.slug), t.slug);
  }
  const created: { slug: string; name: string }[] = [];
  return {
    created,
    async resolve(text) {
      const name = text.trim().replace(/\s+/g, " ");
      if (name === "") return null;
      if (bySlug.has(name)) return name;
      const k = key(name);
      const hit = byKey.get(k) ?? (DEPARTMENT_ALIASES[k] && bySlug.has(DEPARTMENT_ALIASES[k]) ? DEPARTMENT_ALIASES[k] : undefined);
      if (hit) return hit;
      let slug = teamSlugFromName(name) || "team";
      for (let n = 2; bySlug.has(slug); n++) slug = `${teamSlugFromName(name).slice(0, 36) || "team"}-${n}`;
      const [t] = await db.insert(teams).values({ slug, name: name.slice(0, 80), description: "Created by an employee sheet import" }).returning({ slug: teams.slug, name: teams.name });
      bySlug.add(t.slug);
      byKey.set(k, t.slug);
      byKey.set(key(t.slug), t.slug);
      created.push(t);
      return t.slug;
    },
  };
}

/** True when a team with this slug exists. */
export async function teamExists(db: DbOrTx, slug: string): Promise<boolean> {
  const [t] = await db.select({ slug: teams.slug }).from(teams).where(eq(teams.slug, slug)).limit(1);
  return !!t;
}
