import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** next-auth v4 endpoints (/api/auth/csrf, /callback/credentials, /session, /signout, …). Options are built per request so the secret is resolved at run time. */
async function handler(req: Request, ctx: Ctx): Promise<Response> {
  return (NextAuth(getAuthOptions()) as (req: Request, ctx: Ctx) => Promise<Response>)(req, ctx);
}

export { handler as GET, handler as POST };
