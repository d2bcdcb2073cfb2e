import type { Principal } from "@/lib/auth/principal";
import { publicSubmissionsEnabled } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

/** Per caller (principal, else client IP): 60 deflection look-ups a minute (the form asks as the requester types). */
export const DEFLECTION_SUGGEST_LIMIT = { name: "deflection-suggest", limit: 60, windowMs: 60_000 };
/** Per caller: 10 "This solved my problem" a minute (each one is a counted row). */
export const DEFLECTION_RECORD_LIMIT = { name: "deflection", limit: 10, windowMs: 60_000 };

/**
 * Deflection is part of /submit: whoever may file a ticket there may use it.
 * @throws ApiError 401 for an anonymous caller while public submissions are off.
 */
export function assertMaySubmit(principal: Principal | null): void {
  if (!principal && !publicSubmissionsEnabled()) throw new ApiError("unauthorized", "Sign in to submit a ticket");
}
