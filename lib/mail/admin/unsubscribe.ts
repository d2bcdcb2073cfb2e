import "server-only";
import type { DbOrTx } from "@/db/client";
import { ApiError } from "@/lib/http/errors";
import { MAIL_KIND_LABELS, type OptionalMailKind } from "../kinds";
import { isMailEnabled, setMailPreference, verifyUnsubscribeToken } from "../preferences";

/*
 * Unsubscribe links (RFC 8058 one-click and the /unsubscribe page): a signed token names one
 * address and one optional kind (lib/mail/preferences.ts); using it switches that kind off.
 */

/** What a token switches off, and whether it is off already. */
export interface UnsubscribeTarget {
  email: string;
  kind: OptionalMailKind;
  /** MAIL_KIND_LABELS of the kind, e.g. "An agent replied to your request". */
  label: string;
  /** False once the kind is switched off. */
  enabled: boolean;
}

/** Largest form body the one-click endpoint reads (RFC 8058's is `List-Unsubscribe=One-Click`). */
export const MAX_UNSUBSCRIBE_BODY_BYTES = 8 * 1024;

/** The address and kind a token names and the current setting, or null for a bad token. Never throws on bad input. */
export async function describeUnsubscribe(db: DbOrTx, token: string): Promise<UnsubscribeTarget | null> {
  const t = verifyUnsubscribeToken(token);
  if (!t) return null;
  return { ...t, label: MAIL_KIND_LABELS[t.kind], enabled: await isMailEnabled(db, t.email, t.kind) };
}

/**
 * Switch off the kind a token names, for its address (idempotent: a second use changes nothing).
 * @throws ApiError 400 when the token is malformed, altered or signed with another secret.
 */
export async function unsubscribeWithToken(db: DbOrTx, token: string): Promise<UnsubscribeTarget> {
  const t = verifyUnsubscribeToken(token);
  if (!t) throw new ApiError("bad_request", "This unsubscribe link is not valid (it may be cut off or altered)");
  await setMailPreference(db, t.email, t.kind, false);
  return { ...t, label: MAIL_KIND_LABELS[t.kind], enabled: false };
}
