import "server-only";
import { ApiError, fromDatabaseError } from "@/lib/http/errors";

/**
 * A unique-key clash when creating a category or team (409), as the field it concerns and a
 * message naming the value, or null for any other error. The services leave these to the
 * database (primary key on slug, unique name), whose generic message does not say which.
 */
export function conflictField(
  err: unknown,
  what: "category" | "team",
  input: { slug?: string; name?: string },
): { field: "slug" | "name"; message: string } | null {
  const apiErr = err instanceof ApiError ? err : fromDatabaseError(err);
  if (!apiErr || apiErr.code !== "conflict") return null;
  const constraint = String((apiErr.details as { constraint?: unknown } | null)?.constraint ?? "");
  if (/_pkey$|slug/.test(constraint)) return { field: "slug", message: `The slug "${input.slug ?? ""}" is already used by another ${what}.` };
  if (/name/.test(constraint)) return { field: "name", message: `Another ${what} is already called "${input.name ?? ""}".` };
  return null;
}
