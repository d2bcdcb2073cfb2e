import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, users } from "@/db/schema";
import { claimAt, emailDomainAllowed, emailVerified, mapRole, oidcConfig, type OidcConfig } from "@/lib/auth/oidc-config";
import { oidcErrorText } from "@/lib/auth/oidc-errors";
import { resolveOidcSignIn } from "@/lib/auth/oidc-link";
import type { Env } from "@/lib/env";
import { useTestDb } from "../helpers/db";

/*
 * Single sign-on: configuration from env, claim mapping (Keycloak, Entra ID, Google shapes) and
 * linking a sign-in to a user (by issuer+subject, by verified e-mail, or created), on the
 * test database (PGlite, or PostgreSQL with DATABASE_URL).
 */

const ISS = "https://idp.example.test/realms/acme";

function cfg(over: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer: ISS,
    clientId: "switchboard",
    clientSecret: "secret",
    name: "Acme SSO",
    scopes: "openid email profile",
    roleClaim: "roles",
    adminValues: ["sb-admin"],
    agentValues: ["sb-agent", "helpdesk"],
    allowedDomains: [],
    autoCreate: true,
    ...over,
  };
}

describe("oidcConfig", () => {
  const base = { OIDC_NAME: "Single sign-on", OIDC_SCOPES: "openid email profile", OIDC_ADMIN_VALUES: "", OIDC_AGENT_VALUES: "", OIDC_ALLOWED_DOMAINS: "", OIDC_AUTO_CREATE: true } as Env;
  it("is off unless issuer, client id and secret are all set", () => {
    expect(oidcConfig(base)).toBeNull();
    expect(oidcConfig({ ...base, OIDC_ISSUER: ISS, OIDC_CLIENT_ID: "x" })).toBeNull();
    const c = oidcConfig({ ...base, OIDC_ISSUER: `${ISS}/`, OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y", OIDC_ALLOWED_DOMAINS: " Acme.com, @corp.example ,", OIDC_AGENT_VALUES: "a, b" });
    expect(c).toMatchObject({ issuer: ISS, roleClaim: null, allowedDomains: ["acme.com", "corp.example"], agentValues: ["a", "b"], autoCreate: true });
  });
});

describe("claim mapping", () => {
  it("reads exact names first, then dotted paths (Keycloak realm_access.roles)", () => {
    expect(claimAt({ "https://x.example/roles": ["a"] }, "https://x.example/roles")).toEqual(["a"]);
    expect(claimAt({ realm_access: { roles: ["sb-agent"] } }, "realm_access.roles")).toEqual(["sb-agent"]);
    expect(claimAt({ realm_access: ["x"] }, "realm_access.roles")).toBeUndefined();
    expect(claimAt({}, "roles")).toBeUndefined();
  });
  it("maps admin over agent over requester; no claim configured means no mapping", () => {
    expect(mapRole({ roles: ["helpdesk", "sb-admin"] }, cfg())).toBe("admin");
    expect(mapRole({ roles: ["helpdesk"] }, cfg())).toBe("agent");
    expect(mapRole({ roles: "sb-agent" }, cfg())).toBe("agent");
    expect(mapRole({ roles: ["other"] }, cfg())).toBe("requester");
    expect(mapRole({}, cfg())).toBe("requester"); // Google: no role claim at all
    expect(mapRole({ roles: ["SB-ADMIN"] }, cfg())).toBe("requester"); // exact, case-sensitive
    expect(mapRole({ roles: ["sb-admin"] }, cfg({ roleClaim: null }))).toBeNull();
    expect(mapRole({ groups: ["5f1c…-guid"] }, cfg({ roleClaim: "groups", agentValues: ["5f1c…-guid"] }))).toBe("agent"); // Entra group ids
  });
  it("checks allowed domains and e-mail verification (absent counts as verified: Entra)", () => {
    expect(emailDomainAllowed("a@acme.com", cfg())).toBe(true);
    expect(emailDomainAllowed(null, cfg())).toBe(true);
    expect(emailDomainAllowed("a@ACME.com", cfg({ allowedDomains: ["acme.com"] }))).toBe(true);
    expect(emailDomainAllowed("a@evil.com", cfg({ allowedDomains: ["acme.com"] }))).toBe(false);
    expect(emailDomainAllowed("a@sub.acme.com", cfg({ allowedDomains: ["acme.com"] }))).toBe(false);
    expect(emailDomainAllowed(null, cfg({ allowedDomains: ["acme.com"] }))).toBe(false);
    expect(emailVerified({ email_verified: true })).toBe(true);
    expect(emailVerified({ email_verified: "true" })).toBe(true);
    expect(emailVerified({})).toBe(true);
    expect(emailVerified({ email_verified: false })).toBe(false);
  });
  it("has a message for each refusal and none for password errors", () => {
    expect(oidcErrorText("OidcDomain")).toMatch(/domain is not allowed/);
    expect(oidcErrorText("OAuthCallback")).toMatch(/did not complete/);
    expect(oidcErrorText("CredentialsSignin")).toBeNull();
    expect(oidcErrorText(null)).toBeNull();
  });
});

describe("resolveOidcSignIn", () => {
  const t = useTestDb();
  const claims = (over: Record<string, unknown> = {}) => ({ iss: ISS, sub: "sub-1", email: "Jo@Acme.com", email_verified: true, name: "Jo Acme", roles: ["sb-agent"], ...over });
  const userBy = async (email: string) => (await t.db.select().from(users).where(eq(users.email, email)))[0];
  const audits = async (id: string) => t.db.select().from(auditEvents).where(and(eq(auditEvents.entityType, "user"), eq(auditEvents.entityId, id)));

  it("creates the user on first sign-in with the mapped role, then finds the same user by issuer+subject", async () => {
    const now = new Date("2026-12-03T08:00:00Z");
    const r = await resolveOidcSignIn(t.db, cfg(), claims(), now);
    expect(r).toMatchObject({ ok: true, created: true, user: { email: "jo@acme.com", name: "Jo Acme", role: "agent" } });
    const row = await userBy("jo@acme.com");
    expect(row).toMatchObject({ oidcIssuer: ISS, oidcSubject: "sub-1", passwordHash: null, role: "agent" });
    expect(row.lastSignInAt?.toISOString()).toBe(now.toISOString());
    expect((await audits(row.id)).map((a) => a.action)).toEqual(["user.created"]);

    // Second sign-in: same row even when the provider now sends another e-mail.
    const again = await resolveOidcSignIn(t.db, cfg(), claims({ email: "jo.renamed@acme.com" }));
    expect(again).toMatchObject({ ok: true, created: false, linked: false, user: { id: row.id } });
    expect(await t.db.select().from(users).where(eq(users.oidcSubject, "sub-1"))).toHaveLength(1);
  });

  it("updates the role from the claim on each sign-in (audited, sessions end) and leaves it alone without a role claim", async () => {
    const before = await userBy("jo@acme.com");
    const r = await resolveOidcSignIn(t.db, cfg(), claims({ roles: ["sb-admin"] }));
    expect(r).toMatchObject({ ok: true, roleChanged: true, user: { role: "admin", sessionVersion: before.sessionVersion + 1 } });
    const ev = (await audits(before.id)).find((a) => a.action === "user.role_changed");
    expect(ev).toMatchObject({ actorType: "system", before: { role: "agent" }, after: { role: "admin" } });
    const kept = await resolveOidcSignIn(t.db, cfg({ roleClaim: null }), claims({ roles: [] }));
    expect(kept).toMatchObject({ ok: true, roleChanged: false, user: { role: "admin" } });
  });

  it("links an existing user by verified e-mail (or absent email_verified), never by an unverified one", async () => {
    await t.db.insert(users).values([
      { email: "kim@acme.com", name: "Kim", role: "requester" },
      { email: "lee@acme.com", name: "Lee", role: "agent" },
    ]);
    expect(await resolveOidcSignIn(t.db, cfg(), claims({ sub: "sub-kim", email: "kim@acme.com", email_verified: false }))).toEqual({ ok: false, code: "OidcEmailUnverified" });
    expect((await userBy("kim@acme.com")).oidcSubject).toBeNull();

    const kim = await resolveOidcSignIn(t.db, cfg({ roleClaim: null }), claims({ sub: "sub-kim", email: "kim@acme.com", email_verified: "true" }));
    expect(kim).toMatchObject({ ok: true, linked: true, created: false, user: { role: "requester" } });
    expect(await userBy("kim@acme.com")).toMatchObject({ oidcIssuer: ISS, oidcSubject: "sub-kim" });

    const lee = await resolveOidcSignIn(t.db, cfg(), { iss: ISS, sub: "entra-oid-lee", email: "lee@acme.com", roles: ["helpdesk"] });
    expect(lee).toMatchObject({ ok: true, linked: true, user: { role: "agent" } });

    // Someone else at the same issuer with Kim's e-mail cannot take the linked account over.
    expect(await resolveOidcSignIn(t.db, cfg(), claims({ sub: "sub-other", email: "kim@acme.com" }))).toEqual({ ok: false, code: "OidcLinkedElsewhere" });
  });

  it("refuses disallowed domains, missing e-mail, deactivated users and unknown users without auto-create", async () => {
    const domains = cfg({ allowedDomains: ["acme.com"] });
    expect(await resolveOidcSignIn(t.db, domains, claims({ sub: "x1", email: "eve@evil.example" }))).toEqual({ ok: false, code: "OidcDomain" });
    expect(await userBy("eve@evil.example")).toBeUndefined();
    // Also for an already linked user whose address moved out of the allowed domains.
    expect(await resolveOidcSignIn(t.db, domains, claims({ email: "jo@elsewhere.example" }))).toEqual({ ok: false, code: "OidcDomain" });

    expect(await resolveOidcSignIn(t.db, cfg(), { iss: ISS, sub: "no-mail" })).toEqual({ ok: false, code: "OidcNoEmail" });
    expect(await resolveOidcSignIn(t.db, cfg({ autoCreate: false }), claims({ sub: "new-1", email: "new@acme.com" }))).toEqual({ ok: false, code: "OidcNoAccount" });
    expect(await userBy("new@acme.com")).toBeUndefined();

    await t.db.update(users).set({ active: false }).where(eq(users.email, "jo@acme.com"));
    expect(await resolveOidcSignIn(t.db, cfg(), claims())).toEqual({ ok: false, code: "OidcInactive" });
    await t.db.insert(users).values({ email: "gone@acme.com", name: "Gone", role: "requester", active: false });
    expect(await resolveOidcSignIn(t.db, cfg(), claims({ sub: "sub-gone", email: "gone@acme.com" }))).toEqual({ ok: false, code: "OidcInactive" });
    expect((await userBy("gone@acme.com")).oidcSubject).toBeNull();
  });

  it("keeps issuers apart: the same subject at another issuer is another identity", async () => {
    const other = await resolveOidcSignIn(t.db, cfg({ issuer: "https://accounts.google.com" }), { iss: "https://accounts.google.com", sub: "sub-1", email: "pat@gmail.com", email_verified: true });
    expect(other).toMatchObject({ ok: true, created: true, user: { email: "pat@gmail.com", role: "requester" } });
  });

  it("two simultaneous first sign-ins of one person make one user", async () => {
    const c = claims({ sub: "sub-twice", email: "twice@acme.com" });
    const [a, b] = await Promise.all([resolveOidcSignIn(t.db, cfg(), c), resolveOidcSignIn(t.db, cfg(), c)]);
    expect(a.ok && b.ok && a.user.id === b.user.id).toBe(true);
    expect(await t.db.select().from(users).where(eq(users.email, "twice@acme.com"))).toHaveLength(1);
  });

  it("throws on a token without sub (misconfigured provider)", async () => {
    await expect(resolveOidcSignIn(t.db, cfg(), { iss: ISS, email: "a@acme.com" })).rejects.toThrow(/sub/);
  });
});
