/**
 * Plain-language messages for the admin forms' fields, in place of zod's generic ones
 * ("Too small: expected string to have >=2 characters"). Slug messages come from SlugSchema,
 * which already says what a slug is. Used by the forms and their server actions alike.
 */
const MESSAGES: Record<string, string> = {
  name: "Enter a name of 2 to 80 characters.",
  description: "Keep the description to 500 characters or fewer.",
  email: "Enter a valid e-mail address, or leave it empty.",
};

export function friendlyFieldErrors<F extends string>(errors: Partial<Record<F, string>>, input: Record<string, unknown>): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = { ...errors };
  for (const f of Object.keys(out) as F[]) {
    if (MESSAGES[f]) out[f] = MESSAGES[f];
    if (f === "team" && !input.team) out[f] = "Choose the team this category routes to.";
  }
  return out;
}
