import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { authSecret } from "./secret";
import { verifyPassword } from "./password";
import { isRateLimited, rateLimit } from "@/lib/rate-limit";

/** Failed sign-ins allowed per e-mail, and per client IP, in 15 minutes. */
const FAILED_SIGNIN_LIMITS = {
  email: { limit: 10, windowMs: 15 * 60_000 },
  ip: { limit: 50, windowMs: 15 * 60_000 },
};

function clientIp(headers: unknown): string {
  const h = (headers ?? {}) as Record<string, string | string[] | undefined>;
  const v = h["x-forwarded-for"] ?? h["x-real-ip"];
  return (Array.isArray(v) ? v[0] : v)?.split(",")[0]?.trim() || "unknown";
}

/** Session lifetime: 12 h (a working day), in seconds. */
const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** A valid bcrypt hash of a random string: compared against when the e-mail is unknown, so timing does not reveal which e-mails exist. */
const DUMMY_HASH = "$2b$10$P53vSrOf8kaECgPcmhpLqeS6qWyd4PboKAMbQ.K35fgeFnQJPBp1G";

const CredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

declare module "next-auth" {
  interface User {
    role: Role;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
  }
}

/**
 * next-auth v4 options: e-mail + password (bcrypt) credentials, JWT sessions in an
 * HttpOnly cookie, roles carried in the token. Failed sign-ins are throttled: 10 per e-mail and
 * 50 per IP in 15 minutes (in-memory, per process). Built lazily because the secret may be
 * generated under DATA_DIR at run time (never at build time).
 */
export function getAuthOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw, req) {
          const parsed = CredentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          // Brute-force guard: after too many FAILED attempts for this e-mail or from this IP,
          // refuse without checking the password until the window passes.
          const emailKey = `signin-failed:email:${parsed.data.email}`;
          const ipKey = `signin-failed:ip:${clientIp(req?.headers)}`;
          if (isRateLimited(emailKey, FAILED_SIGNIN_LIMITS.email) || isRateLimited(ipKey, FAILED_SIGNIN_LIMITS.ip)) return null;
          const db = await getDb();
          const [user] = await db.select().from(users).where(eq(users.email, parsed.data.email)).limit(1);
          const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
          if (!user || !user.active || !user.passwordHash || !ok) {
            rateLimit(emailKey, FAILED_SIGNIN_LIMITS.email);
            rateLimit(ipKey, FAILED_SIGNIN_LIMITS.ip);
            return null;
          }
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.role = user.role;
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.sub ?? "",
          email: token.email ?? "",
          name: token.name ?? "",
          role: token.role ?? "requester",
        };
        return session;
      },
    },
  };
}
