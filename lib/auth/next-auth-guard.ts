import type { NextRequest } from "next/server";
import { ApiError } from "@/lib/http/errors";
import { errorResponse } from "@/lib/http/route";

/*
 * A guard in front of next-auth 4's handler. next-auth checks the `callbackUrl` query value and
 * the callback-url cookie before anything else (core/lib/assert.js) and, when either is not an
 * http(s) URL or a path, answers its JSON endpoints (csrf, session, providers, callbacks, POST
 * sign-in/out) with a 500 "server configuration" error. Those values come from the caller, so
 * such a request is a bad request: we answer 400 ourselves, and clear a bad cookie so the
 * browser recovers on its next request. It also answers the credentials callback by GET (a 500
 * "Callback for provider type credentials not supported" in next-auth) with 405, and an error
 * page request whose error code is not a plain code with 400 (next-auth copies it unencoded into
 * the Location header, where a control character throws and anything else adds to the query).
 * All found by tests/reliability/hostile/next-auth.test.ts.
 */

/** The callback-url cookie names next-auth 4 uses (plain and on HTTPS). */
const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** What an auth error code looks like (CredentialsSignin, AccessDenied, oidc_inactive…). */
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * next-auth 4's own test (isValidHttpUrl): `value` parses as an http(s) URL, absolute or (when
 * it starts with "/") resolved on `base`. Where the browser may go is decided later, by the
 * redirect callback (lib/auth/options.ts: same-origin paths only).
 */
export function nextAuthAcceptsCallback(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * The 4xx response for a request next-auth would answer with a 500 because of what the caller
 * sent, or null when the request may go on to next-auth.
 * @param segments the path under /api/auth (the `[...nextauth]` parameter)
 * @returns 405 `method_not_allowed` (Allow: POST) for GET /api/auth/callback/credentials;
 *   400 `bad_request` (details.field "error") for /api/auth/error with an error code outside
 *   `[A-Za-z0-9_.-]{1,100}` (next-auth's codes and ours are such words);
 *   400 `{error: {code: "bad_request", message, details: {field: "callbackUrl", source: "query" | "cookie"}}}`
 *   for a callback value next-auth refuses, with Set-Cookie clearing a bad callback-url cookie.
 */
export function rejectBadAuthRequest(req: NextRequest, segments: readonly string[]): Response | null {
  if (req.method !== "POST" && segments[0] === "callback" && segments[1] === "credentials") {
    return errorResponse(new ApiError("method_not_allowed", "Sign in with credentials by POST", { allow: ["POST"] }, { allow: "POST" }));
  }
  if (segments[0] === "error") {
    // next-auth's error value: the query's (last) `error`, else the path segment after /error.
    const code = req.nextUrl.searchParams.getAll("error").at(-1) ?? segments[1];
    if (code !== undefined && code !== "" && !ERROR_CODE.test(code)) {
      return errorResponse(new ApiError("bad_request", "The error code is not valid", { field: "error" }));
    }
  }
  const base = req.nextUrl.origin;
  // next-auth reads the last value of a repeated parameter (Object.fromEntries).
  const fromQuery = req.nextUrl.searchParams.getAll("callbackUrl").at(-1);
  if (fromQuery && !nextAuthAcceptsCallback(fromQuery, base)) {
    return errorResponse(new ApiError("bad_request", "callbackUrl must be a path on this site or an http(s) URL", { field: "callbackUrl", source: "query" }));
  }
  const bad = CALLBACK_COOKIES.filter((name) => {
    const v = req.cookies.get(name)?.value;
    return v !== undefined && v !== "" && !nextAuthAcceptsCallback(v, base);
  });
  if (bad.length === 0) return null;
  const res = errorResponse(new ApiError("bad_request", "The sign-in return address cookie was not valid and has been cleared; try again", { field: "callbackUrl", source: "cookie" }));
  for (const name of bad) res.headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`);
  return res;
}
