import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, HSTS_VALUE, newNonce, servedOverHttps } from "@/lib/http/security-headers";

/**
 * Next.js 16 proxy (formerly middleware), in front of every page: a fresh CSP nonce per request,
 * handed to Next's renderer through the request's Content-Security-Policy and x-nonce headers
 * (Next applies it to its own scripts), the same policy on the response, and HSTS over https.
 * API routes, static assets and prefetches are skipped (see `config.matcher`); their static
 * headers come from next.config.ts.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const https = servedOverHttps(request.headers);
  const csp = contentSecurityPolicy(nonce, { https, dev: env().NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", HSTS_VALUE);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon\\.svg|favicon\\.ico|robots\\.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
