import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { MAIL_KIND_LABELS, type OptionalMailKind } from "../kinds";
import { listMailPreferences, setMailPreference } from "../preferences";
import { mailKindsForRole, type UpdatePreferencesInput } from "../schemas";

/*
 * The signed-in person's own mail preferences (GET/PUT /api/mail/preferences and the
 * /settings/notifications page). Requesters see the kinds about their requests; agents and
 * admins also assignment, team and watcher mail. Stored per address by lib/mail/preferences.ts.
 */

/** What the preferences page and API show: the address and one entry per kind the role sees. */
export interface MyPreferencesDTO {
  email: string;
  kinds: { kind: OptionalMailKind; label: string; enabled: boolean }[];
}

/** The principal's address, or 403 for API keys that act as an integration (no address). */
function emailOf(p: Principal): string {
  if (!p.email) throw new ApiError("forbidden", "Mail preferences belong to a person; this API key has no e-mail address");
  return p.email;
}

/** The signed-in person's preferences. @throws ApiError 403 (an API key without an address). */
export async function getMyPreferences(db: DbOrTx, principal: Principal): Promise<MyPreferencesDTO> {
  const email = emailOf(principal);
  const prefs = await listMailPreferences(db, email);
  return { email, kinds: mailKindsForRole(principal.role).map((kind) => ({ kind, label: MAIL_KIND_LABELS[kind], enabled: prefs[kind] })) };
}

/**
 * Switch kinds on or off for the signed-in person (kinds left out keep their setting), in one
 * transaction. @throws ApiError 400 (a kind the role does not get), 403 (API key without an address).
 */
export async function updateMyPreferences(db: DbOrTx, principal: Principal, input: UpdatePreferencesInput): Promise<MyPreferencesDTO> {
  const email = emailOf(principal);
  const allowed = mailKindsForRole(principal.role);
  const changes = (Object.entries(input) as [OptionalMailKind, boolean | undefined][]).filter((e): e is [OptionalMailKind, boolean] => e[1] !== undefined);
  const foreign = changes.filter(([k]) => !allowed.includes(k));
  if (foreign.length) {
    throw new ApiError("validation_error", "The request body is invalid", {
      issues: foreign.map(([k]) => ({ path: k, code: "custom", message: `${MAIL_KIND_LABELS[k]}: not a mail your role gets` })),
    });
  }
  await db.transaction(async (tx) => {
    for (const [kind, enabled] of changes) await setMailPreference(tx, email, kind, enabled);
  });
  return getMyPreferences(db, principal);
}
