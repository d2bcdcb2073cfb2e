import "server-only";
import type { z } from "zod";
import type { Db } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { slugify } from "@/components/admin/slug";
import { createCategory } from "@/lib/admin/categories";
import { CreateCategorySchema } from "@/lib/admin/schemas";
import { ApiError } from "@/lib/http/errors";
import { getReferenceData } from "@/lib/reference/cache";
import type { CreateCategoryOpSchema } from "../ops";
import type { ExecuteResult } from "./result";

/**
 * create_category (admins): createCategory refuses others with 403. The slug is derived from
 * the name when not given.
 * @throws ApiError 403 non-admins; 400 when no slug can be derived; 409 slug or name taken; 422 unknown team.
 */
export async function runCreateCategory(db: Db, op: z.infer<typeof CreateCategoryOpSchema>, p: Principal, _ctx?: unknown): Promise<ExecuteResult> {
  const slug = op.slug ?? slugify(op.name);
  if (!slug) throw new ApiError("validation_error", `Cannot make a slug from '${op.name}'; give one ("… slug printers")`, { field: "slug" });
  const input = CreateCategorySchema.parse({ slug, name: op.name, team: op.team });
  const c = await createCategory(db, input, p);
  const team = (await getReferenceData(db)).teamBySlug.get(c.team)?.name ?? c.team;
  return { op: "create_category", ok: true, data: null, message: `Created category ${c.name} (${c.slug}), routed to ${team}.` };
}
