/**
 * Category label handling for the local classifier.
 *
 * The training data (IT tickets, see docs/EVALUATION.md) uses human-readable
 * names such as "HR Support"; Switchboard stores category *slugs*.
 */

/** Dataset label name -> Switchboard category slug (8 built-in categories). */
export const DATASET_LABEL_TO_SLUG: Readonly<Record<string, string>> = Object.freeze({
  Hardware: "hardware",
  "HR Support": "hr-support",
  Access: "access",
  Miscellaneous: "miscellaneous",
  Storage: "storage",
  Purchase: "purchase",
  "Internal Project": "internal-project",
  "Administrative rights": "administrative-rights",
});

/** The 8 built-in slugs, in a fixed canonical order. */
export const BUILTIN_SLUGS: readonly string[] = Object.freeze(Object.values(DATASET_LABEL_TO_SLUG));

/**
 * Turn any label spelling into a slug: a dataset name ("HR Support") maps through
 * {@link DATASET_LABEL_TO_SLUG}; anything else is lower-cased, trimmed and non
 * alphanumerics collapsed to "-" (so "hr-support", "HR support" and "Facilities" all work).
 * @throws Error if the label is empty after trimming.
 */
export function toSlug(label: string): string {
  const trimmed = label.trim();
  if (!trimmed) throw new Error("toSlug: empty label");
  const direct = DATASET_LABEL_TO_SLUG[trimmed];
  if (direct) return direct;
  const slug = trimmed
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!slug) throw new Error(`toSlug: label ${JSON.stringify(label)} has no usable characters`);
  return slug;
}
