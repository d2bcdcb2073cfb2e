import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { signOutEverywhere } from "@/lib/users/session-version";

export const dynamic = "force-dynamic";

/** next-auth's session cookie names (plain and `__Secure-`, and the `.N` chunks of a large token). */
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/**
 * POST /api/auth/sign-out-everywhere — the signed-in user (or an API key acting as a user) ends
 * ALL their sessions: the user's session version is bumped, so every session cookie minted
 * before, on any device or copied anywhere, is refused from now on (other app processes within
 * 10 s). Also clears this browser's session cookie. → 200 {ok: true}; 401 when signed out;
 * 403 for an API key that acts as no user.
 */
export const POST = route({ auth: "signed-in", scope: "admin", rateClass: "auth" }, async ({ req, principal }) => {
  if (!principal?.userId) throw new ApiError("forbidden", "This API key acts as no user: there are no sessions to end");
  await signOutEverywhere(await getDb(), principal.userId);
  const res = NextResponse.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  for (const c of req.cookies.getAll()) {
    if (SESSION_COOKIE.test(c.name)) {
      res.cookies.set(c.name, "", { path: "/", maxAge: 0, httpOnly: true, sameSite: "lax", secure: c.name.startsWith("__Secure-") });
    }
  }
  return res;
});
