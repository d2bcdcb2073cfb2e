import { eq } from "drizzle-orm";
import type { User } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { getAuthOptions } from "@/lib/auth/options";
import { oidcProviders, oidcSignIn } from "@/lib/auth/oidc-provider";
import { resetEnvForTests } from "@/lib/env";
import { useTestDb } from "../helpers/db";

/*
 * The next-auth side of SSO: the provider exists only with issuer + client id + secret, is an
 * OIDC provider with discovery, ID token, PKCE and state; the signIn callback turns next-auth's
 * user into the Switchboard user (which the jwt callback then puts in the token) or redirects a
 * refusal to /signin?error=<code>.
 */

const ISS = "https://idp.example.test/realms/acme";
const OIDC_ENV = {
  OIDC_ISSUER: `${ISS}/`,
  OIDC_CLIENT_ID: "switchboard",
  OIDC_CLIENT_SECRET: "s3cret",
  OIDC_NAME: "Acme SSO",
  OIDC_ROLE_CLAIM: "realm_access.roles",
  OIDC_AGENT_VALUES: "sb-agent",
  OIDC_ALLOWED_DOMAINS: "acme.test",
};

function setOidcEnv(on: boolean) {
  for (const [k, v] of Object.entries(OIDC_ENV)) {
    if (on) process.env[k] = v;
    else delete process.env[k];
  }
  resetEnvForTests();
}

describe("oidc provider and signIn callback", () => {
  const t = useTestDb();
  beforeAll(() => setOidcEnv(true));
  afterAll(() => setOidcEnv(false));

  it("is absent without the settings, and a PKCE+state OIDC provider with them", () => {
    setOidcEnv(false);
    expect(oidcProviders()).toEqual([]);
    expect(getAuthOptions().providers.map((p) => p.id)).toEqual(["credentials"]);
    setOidcEnv(true);
    const [p] = oidcProviders();
    expect(p).toMatchObject({
      id: "oidc",
      name: "Acme SSO",
      type: "oauth",
      wellKnown: `${ISS}/.well-known/openid-configuration`,
      idToken: true,
      checks: ["pkce", "state"],
      clientId: "switchboard",
      clientSecret: "s3cret",
      authorization: { params: { scope: "openid email profile" } },
    });
    expect(getAuthOptions().providers.map((p) => p.id)).toEqual(["credentials", "oidc"]);
  });

  it("replaces next-auth's user with the Switchboard user, or redirects a refusal", async () => {
    const claims = { iss: ISS, sub: "kc-123", email: "Ana@acme.test", email_verified: true, name: "Ana", realm_access: { roles: ["sb-agent"] } };
    const [p] = oidcProviders();
    const user = (await p.profile(claims, {})) as User;
    expect(user).toMatchObject({ id: "kc-123", email: "ana@acme.test", name: "Ana" });
    const account = { provider: "oidc", type: "oauth" as const, providerAccountId: "kc-123" };
    expect(await oidcSignIn(user, account, claims)).toBe(true);
    const [row] = await t.db.select().from(users).where(eq(users.email, "ana@acme.test"));
    expect(user).toMatchObject({ id: row.id, email: "ana@acme.test", role: "agent", sessionVersion: row.sessionVersion });

    const eve = { ...claims, sub: "kc-eve", email: "eve@evil.test" };
    expect(await oidcSignIn((await p.profile(eve, {})) as User, { ...account, providerAccountId: "kc-eve" }, eve)).toBe("/signin?error=OidcDomain");
    // Credentials sign-ins are not this callback's business.
    expect(await oidcSignIn(user, { provider: "credentials", type: "credentials", providerAccountId: "x" }, undefined)).toBe(true);
  });
});
