import crypto from "node:crypto";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { startLoopbackIdp, type LoopbackIdp } from "./oidc-idp";
import { freePort, startPrivateInstance, tail, type PrivateInstance } from "./private-instance";

/*
 * Single sign-on (issue #14 §1) against a real OpenID Connect provider on loopback
 * (e2e/oidc-idp.ts, the oidc-provider package): "Sign in with Acme SSO" → the provider's login
 * form → its consent page → back in Switchboard, signed in with the role mapped from the
 * `roles` claim. A second sign-in finds the same user; an existing password user is linked by
 * e-mail; an e-mail outside OIDC_ALLOWED_DOMAINS is refused with a clear message.
 *
 * The shared e2e server has no OIDC settings, so this starts its own instance from the same
 * production build (e2e/private-instance.ts) with OIDC_* pointing at the loopback provider.
 */

const SSO_NAME = "Acme SSO";
const LEE = { email: "lee@acme.test", name: "Lee Password", role: "requester" as const, password: `lee-${crypto.randomBytes(9).toString("base64url")}` };

let idp: LoopbackIdp | null = null;
let app: PrivateInstance | null = null;
let failed = false;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  failed = true; // until everything is up (keeps the logs when start-up fails)
  const idpPort = await freePort();
  const clientId = "switchboard-e2e";
  const clientSecret = "switchboard-e2e-secret-0123456789";
  app = await startPrivateInstance({
    prefix: "oidc",
    users: [LEE],
    env: {
      OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_NAME: SSO_NAME,
      OIDC_ROLE_CLAIM: "roles",
      OIDC_ADMIN_VALUES: "sb-admin",
      OIDC_AGENT_VALUES: "sb-agent",
      OIDC_ALLOWED_DOMAINS: "acme.test",
    },
  });
  // The app reads the provider's discovery document only at the first SSO sign-in, so the
  // provider can start now that the app's redirect URI is known.
  idp = await startLoopbackIdp({
    port: idpPort,
    redirectUri: `${app.url}/api/auth/callback/oidc`,
    roles: { "avery@acme.test": ["sb-agent"], "lee@acme.test": ["sb-admin", "staff"] },
  });
  expect(idp.clientId).toBe(clientId);
  expect(idp.clientSecret).toBe(clientSecret);
  failed = false;
});

test.afterEach(({}, info) => {
  if (info.status !== info.expectedStatus) failed = true;
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  if (failed && app) console.log(`[oidc] instance (${app.database}) log ${app.logFile}, last lines:\n${tail(app.logFile)}`);
  await app?.stop(failed);
  await idp?.close();
});

/** A fresh browser (no app session, no provider session) on the instance. */
function freshContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: app!.url });
}

/** Click the SSO button on /signin, log in at the provider and consent. Leaves the page wherever the app sends it. */
async function ssoSignIn(page: Page, login: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in with ${SSO_NAME}` }).click();
  // The provider's development login form (any password).
  await page.waitForURL((u) => u.origin === idp!.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // Consent page.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((u) => u.origin === app!.url);
}

interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

async function sessionUser(page: Page): Promise<SessionUser | null> {
  const res = await page.request.get("/api/auth/session");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { user?: SessionUser };
  return body.user ?? null;
}

test("a new user signs in by SSO as the role in the claim, and a second sign-in finds the same user", async ({ browser }) => {
  const first = await freshContext(browser);
  const page = await first.newPage();
  await ssoSignIn(page, "avery@acme.test");
  // `roles: ["sb-agent"]` → agent → the agent desk.
  await page.waitForURL((u) => u.pathname === "/tickets");
  const u1 = await sessionUser(page);
  expect(u1).toMatchObject({ email: "avery@acme.test", name: "SSO avery", role: "agent" });
  await first.close();

  const second = await freshContext(browser);
  const page2 = await second.newPage();
  await ssoSignIn(page2, "avery@acme.test");
  await page2.waitForURL((u) => u.pathname === "/tickets");
  const u2 = await sessionUser(page2);
  expect(u2?.id).toBe(u1!.id);
  expect(u2?.role).toBe("agent");
  await second.close();
});

test("an existing password user is linked by e-mail and gets the claim's role", async ({ browser }) => {
  const ctx = await freshContext(browser);
  const page = await ctx.newPage();
  await ssoSignIn(page, LEE.email);
  await page.waitForURL((u) => u.pathname === "/tickets");
  const sso = await sessionUser(page);
  expect(sso).toMatchObject({ email: LEE.email, name: LEE.name, role: "admin" });
  await ctx.close();

  // The same row: the password still signs in, as the same id, now an admin.
  const pw = await freshContext(browser);
  const page2 = await pw.newPage();
  await page2.goto("/signin");
  await page2.getByLabel("E-mail").fill(LEE.email);
  await page2.getByLabel("Password").fill(LEE.password);
  await page2.getByRole("button", { name: "Sign in", exact: true }).click();
  await page2.waitForURL((u) => !u.pathname.startsWith("/signin"));
  const byPassword = await sessionUser(page2);
  expect(byPassword).toMatchObject({ id: sso!.id, role: "admin" });
  await pw.close();
});

test("an e-mail outside the allowed domains is refused with a clear message", async ({ browser }) => {
  const ctx = await freshContext(browser);
  const page = await ctx.newPage();
  await ssoSignIn(page, "eve@evil.test");
  await page.waitForURL((u) => u.pathname === "/signin" && u.searchParams.get("error") === "OidcDomain");
  await expect(page.getByRole("alert").filter({ hasText: "e-mail domain is not allowed" })).toBeVisible();
  expect(await sessionUser(page)).toBeNull();
  await ctx.close();
});
