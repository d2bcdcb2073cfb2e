import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { rejectBadAuthRequest } from "@/lib/auth/next-auth-guard";
import { getAuthOptions } from "@/lib/auth/options";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth v4 endpoints (/api/auth/csrf, /callback/credentials, /session, /signout, …). Options
 * are built per request so the secret is resolved at run time. A `callbackUrl` query value or
 * callback-url cookie that is not a path or an http(s) URL is a 400, the credentials callback by
 * GET a 405 and an error-page code that is not a plain word a 400 (lib/auth/next-auth-guard.ts),
 * where next-auth itself would answer 500 or throw.
 */
async function handler(req: NextRequest, ctx: Ctx): Promise<Response> {
  const rejected = rejectBadAuthRequest(req, (await ctx.params).nextauth ?? []);
  if (rejected) return rejected;
  return (NextAuth(getAuthOptions()) as (req: NextRequest, ctx: Ctx) => Promise<Response>)(req, ctx);
}

export { handler as GET, handler as POST };
