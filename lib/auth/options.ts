import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { safeCallbackPath } from "@/lib/auth/callback";
import { logger } from "@/lib/observability/logger";
import { authSecret } from "./secret";
import { verifyPassword } from "./password";
import { sessionUser } from "./session-state";
import { clientIp, type HeaderSource } from "@/lib/http/client-ip";
import { tooManyAttemptsCode } from "./signin-error";
import { ACCOUNT_BACKOFF, blockedForS, IP_BACKOFF, pruneFailures, recordFailure, resetFailures } from "./signin-throttle";
import { oidcProviders, oidcSignIn } from "./oidc-provider";

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
    /** users.session_version at sign-in (carried in the token as `sv`). */
    sessionVersion: number;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    /** The user's session version when the token was minted; a newer version in the database revokes it. */
    sv?: number;
  }
}

/**
 * next-auth v4 options: e-mail + password (bcrypt) credentials, JWT sessions in an
 * HttpOnly cookie carrying the role and the user's session version. Failed sign-ins back off
 * exponentially per e-mail and per client IP (lib/auth/signin-throttle.ts, shared by all
 * instances through the database); a throttled attempt fails with the error code
 * `TooManyAttempts:<seconds>`. Built lazily because the secret may be generated under DATA_DIR
 * at run time (never at build time).
 */
export function getAuthOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
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
          const db = await getDb();
          // Brute-force guard: while this e-mail or this client IP is in a backoff block, refuse
          // without checking the password (the block is short and expires by itself).
          const emailKey = `email:${parsed.data.email}`;
          const ip = clientIp(req?.headers as HeaderSource);
          // "unknown" (peer address not stamped: lib/http/client-ip.ts) must not become one key shared by everyone.
          const ipKey = ip === "unknown" ? null : `ip:${ip}`;
          const wait = await blockedForS(db, ipKey ? [emailKey, ipKey] : [emailKey]);
          if (wait > 0) throw new Error(tooManyAttemptsCode(wait));
          const [user] = await db.select().from(users).where(eq(users.email, parsed.data.email)).limit(1);
          const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
          if (!user || !user.active || !user.passwordHash || !ok) {
            const byEmail = await recordFailure(db, emailKey, ACCOUNT_BACKOFF);
            const byIp = ipKey ? await recordFailure(db, ipKey, IP_BACKOFF) : { blockedForS: 0 };
            if (Math.random() < 0.01) await pruneFailures(db);
            const blocked = Math.max(byEmail.blockedForS, byIp.blockedForS);
            if (blocked > 0) throw new Error(tooManyAttemptsCode(blocked));
            return null;
          }
          await resetFailures(db, emailKey);
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        },
      }),
      // Single sign-on (OpenID Connect) when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set.
      ...oidcProviders(),
    ],
    logger: nextAuthLogger,
    callbacks: {
      /** SSO: link or create the user (lib/auth/oidc-link.ts); a refusal sends the browser to /signin?error=<code>. Credentials pass (checked in authorize). */
      signIn({ user, account, profile }) {
        return oidcSignIn(user, account, profile);
      },
      /** Where next-auth may send the browser after sign-in/out: same-origin paths only (no open redirect). */
      redirect({ url, baseUrl }) {
        const path = safeCallbackPath(url, new URL(baseUrl).origin);
        return path ? `${new URL(baseUrl).origin}${path}` : baseUrl;
      },
      /**
       * At sign-in: carry the role and the session version. On every later use (each
       * /api/auth/session and getServerSession): compare the version with the user's current one
       * (cached ≤ 10 s) and refuse a stale token or an inactive user by throwing, which makes
       * next-auth answer with no session and CLEAR the cookie instead of reissuing it.
       */
      async jwt({ token, user }) {
        if (user) {
          token.role = user.role;
          token.sv = user.sessionVersion;
          return token;
        }
        const u = token.sub ? await sessionUser(token.sub) : null;
        if (!u || !u.active || typeof token.sv !== "number" || token.sv !== u.sessionVersion) throw new SessionRevokedError();
        token.role = u.role;
        token.name = u.name;
        token.email = u.email;
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

/** Thrown by the jwt callback for a revoked or stale session; next-auth then clears the cookie. */
class SessionRevokedError extends Error {
  constructor() {
    super("session revoked");
    this.name = "SessionRevokedError";
  }
}

/** next-auth's log lines through our logger; a revoked session is routine, not an error. */
const nextAuthLogger = {
  error(code: string, metadata: unknown) {
    const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
    if (err instanceof Error && err.name === "SessionRevokedError") {
      logger.debug({ code }, "next-auth: revoked session refused");
      return;
    }
    logger.error({ code, err: err instanceof Error ? { name: err.name, message: err.message } : undefined }, "next-auth error");
  },
  warn(code: string) {
    logger.warn({ code }, "next-auth warning");
  },
  debug(code: string) {
    logger.debug({ code }, "next-auth debug");
  },
};
