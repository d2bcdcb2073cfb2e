import { NEXT_AUTH_BASE, nextAuth, setCookies } from "../../security/next-auth-call"; // first: sets up Next's request storage
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoopbackIdp, type LoopbackIdp } from "../../../e2e/oidc-idp";
import { resetEnvForTests } from "@/lib/env";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { hostileValue } from "./_json-routes";
import { changedTables, dbFingerprint } from "./_routes";

/*
 * Hostile input to next-auth's own endpoints (/api/auth/*: csrf, session, providers, sign-in,
 * the credentials and OIDC callbacks, sign-out, the client log), called in-process through the
 * app's route handler as the server calls it. Requests: any method and path under /api/auth,
 * forged and random cookies (session JWTs, CSRF cookies), form bodies with hostile values for
 * the fields next-auth reads (csrfToken, email, password, callbackUrl, json…), raw bodies of
 * the wrong type, and query strings with hostile callback URLs.
 * Properties: never throws and never a 5xx; nothing is written (every app table's fingerprint
 * unchanged; sign-in throttling counters excepted: dbFingerprint leaves signin_failures out);
 * no session cookie is set (no credentials are valid); a redirect never leaves the site (no open
 * redirect through callbackUrl).
 */

const RUNS = Number(process.env.HOSTILE_RUNS ?? 20);
const testDb = useTestDb();
let user: Actor;
const tally = { calls: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0 };

/** Paths under /api/auth (the catch-all route needs at least one segment: /api/auth itself is Next's 404). */
const PATHS: string[][] = [
  ["csrf"], ["session"], ["providers"], ["signin"], ["signin", "credentials"], ["signin", "oidc"], ["callback", "credentials"],
  ["callback", "oidc"], ["signout"], ["error"], ["verify-request"], ["_log"], ["callback"], ["..", "admin"], ["callback", "credentials", "x"],
];

const HOSTILE_URLS = [
  "https://evil.example/steal", "//evil.example", "/\\evil.example", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
  "http://localhost:3000@evil.example/", "https://localhost:3000.evil.example/", "\\\\evil.example", "/%2F%2Fevil.example", " https://evil.example",
];

const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...HOSTILE_URLS),
  hostileValue.filter((v) => typeof v === "string" && v.length < 70_000).map(String),
  fc.constantFrom("true", "false", "1", ""),
);

/** A forged or random value for next-auth's cookies. */
const cookieValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.base64String({ maxLength: 200 }),
  fc.array(fc.base64String({ maxLength: 40 }), { minLength: 5, maxLength: 5 }).map((parts) => parts.join(".")),
  fc.constantFrom("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.BBBB.CCCC", "x".repeat(5000), "%00", "%E0%A4%A"),
);

const cookie: fc.Arbitrary<string | undefined> = fc.option(
  fc
    .array(fc.tuple(fc.constantFrom("next-auth.session-token", "next-auth.csrf-token", "next-auth.callback-url", "__Secure-next-auth.session-token", "x"), cookieValue), { maxLength: 3 })
    .map((cs) => cs.map(([k, v]) => `${k}=${v}`).join("; ")),
  { nil: undefined },
);

const FIELDS = ["csrfToken", "email", "password", "callbackUrl", "json", "redirect", "code", "state", "error", "provider"];

type HostileAuthRequest = { method: "GET" | "POST"; segments: string[]; cookie?: string; body: Omit<Parameters<typeof nextAuth>[2] & object, "cookie" | "query">; query?: string };

const request: fc.Arbitrary<HostileAuthRequest> = fc.record({
  method: fc.constantFrom("GET" as const, "POST" as const),
  // A URL path carries no lone surrogates (percent-encoded bytes decode to U+FFFD instead).
  segments: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.array(text.filter((s) => s.length > 0 && s.length < 200 && s.isWellFormed()), { minLength: 1, maxLength: 3 }) }),
  cookie,
  body: fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), text, { maxKeys: 6 }).map((form) => ({ form })),
    fc.constantFrom(
      { raw: { body: '{"email":"a@b.c","password":"x"}', type: "application/json" } },
      { raw: { body: "%", type: "application/x-www-form-urlencoded" } },
      { raw: { body: "email=%E0%A4%A&password=%00", type: "application/x-www-form-urlencoded" } },
      { raw: { body: "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na\r\n--x--", type: "multipart/form-data; boundary=x" } },
      { raw: { body: "<xml/>", type: "application/xml" } },
      { raw: { body: new Uint8Array([0xff, 0xfe, 0x00, 0x3d]), type: undefined } },
    ),
    fc.constant({}),
  ),
  query: fc.option(
    fc.array(fc.tuple(fc.constantFrom("callbackUrl", "error", "csrf", "provider", "x"), text), { maxLength: 3 }).map((ps) => new URLSearchParams(ps).toString()),
    { nil: undefined },
  ),
});

/** Where a redirect may go: this site (relative, or the app's own origin), or the SSO issuer when one is set. */
function staysOnSite(location: string, issuer?: string): boolean {
  const target = new URL(location, NEXT_AUTH_BASE);
  const own = new Set([new URL(NEXT_AUTH_BASE).origin, ...(process.env.NEXTAUTH_URL ? [new URL(process.env.NEXTAUTH_URL).origin] : []), ...(issuer ? [new URL(issuer).origin] : [])]);
  return own.has(target.origin);
}

/** Send one request; check the properties (throws on a violation). */
async function attempt(r: HostileAuthRequest, issuer?: string): Promise<void> {
  const before = await dbFingerprint(testDb.db);
  const where = `${r.method} /api/auth/${r.segments.join("/")}${r.query ? `?${r.query}` : ""} cookie=${String(r.cookie).slice(0, 80)} body=${JSON.stringify(r.body).slice(0, 200)}`;
  let res: Response;
  try {
    res = await nextAuth(r.method, r.segments, { cookie: r.cookie, query: r.query, ...(r.method === "POST" ? r.body : {}) });
  } catch (err) {
    throw new Error(`${where}: the handler threw: ${err instanceof Error ? err.stack : String(err)}`);
  }
  await res.arrayBuffer();
  tally.calls++;
  const bucket = `s${Math.floor(res.status / 100)}xx` as keyof typeof tally;
  if (bucket in tally) tally[bucket]++;
  expect(res.status, where).toBeLessThan(500);
  const location = res.headers.get("location");
  if (location) expect(staysOnSite(location, issuer), `${where}: redirects to ${location}`).toBe(true);
  expect(setCookies(res)["next-auth.session-token"] || "", `${where}: set a session`).toBe("");
  expect(changedTables(before, await dbFingerprint(testDb.db)), `${where}: wrote`).toEqual([]);
}

beforeAll(async () => {
  user = await makeActor(testDb.db, "hostile-auth@corp.test", "agent", { password: "correct-horse-battery" });
}, 60_000);

afterAll(() => {
  // One line for docs/RELIABILITY.md.
  console.log(`hostile-auth: ${tally.calls} requests to /api/auth/* (${tally.s2xx} 2xx, ${tally.s3xx} 3xx, ${tally.s4xx} 4xx), ${tally.s5xx} 5xx`);
});

describe("hostile requests to next-auth's endpoints", () => {
  it("the harness signs in with valid credentials (so a refusal below is a refusal)", async () => {
    const csrfRes = await nextAuth("GET", ["csrf"]);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const csrfCookie = Object.entries(setCookies(csrfRes)).map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await nextAuth("POST", ["callback", "credentials"], { cookie: csrfCookie, form: { csrfToken, email: user.email, password: "correct-horse-battery", json: "true" } });
    expect(setCookies(res)["next-auth.session-token"]).toBeTruthy();
  });

  it("never a 5xx, nothing written, no session, no redirect off the site", async () => {
    await fc.assert(fc.asyncProperty(request, (r) => attempt(r)), { numRuns: RUNS * 10 });
  }, 600_000);
});

/*
 * With single sign-on configured (OIDC_* pointing at a loopback OpenID provider, the one the SSO
 * e2e test signs in with): the OIDC sign-in and callback with forged state, PKCE and nonce
 * cookies and hostile code/state/iss/error values. A redirect may also go to the issuer.
 */
describe("hostile requests to next-auth's endpoints with SSO configured", () => {
  let idp: LoopbackIdp;
  const saved: Record<string, string | undefined> = {};
  const OIDC_ENV = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "NEXTAUTH_URL"];

  beforeAll(async () => {
    idp = await startLoopbackIdp({ port: 0, redirectUri: `${NEXT_AUTH_BASE}/api/auth/callback/oidc`, roles: {} });
    for (const k of OIDC_ENV) saved[k] = process.env[k];
    Object.assign(process.env, { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, NEXTAUTH_URL: NEXT_AUTH_BASE });
    resetEnvForTests();
  }, 60_000);

  afterAll(async () => {
    for (const k of OIDC_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvForTests();
    await idp?.close();
  });

  it("the harness starts an SSO sign-in at the provider (so the provider is configured and reachable)", async () => {
    const csrfRes = await nextAuth("GET", ["csrf"]);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const csrfCookie = Object.entries(setCookies(csrfRes)).map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await nextAuth("POST", ["signin", "oidc"], { cookie: csrfCookie, form: { csrfToken, callbackUrl: "/tickets" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${idp.issuer}/auth\\?`));
    expect(Object.keys(setCookies(res))).toEqual(expect.arrayContaining(["next-auth.pkce.code_verifier", "next-auth.state"]));
  });

  const oidcCookie = fc
    .array(fc.tuple(fc.constantFrom("next-auth.state", "next-auth.pkce.code_verifier", "next-auth.nonce", "next-auth.csrf-token", "next-auth.callback-url", "next-auth.session-token"), cookieValue), { maxLength: 4 })
    .map((cs) => cs.map(([k, v]) => `${k}=${v}`).join("; "));
  const oidcRequest: fc.Arbitrary<HostileAuthRequest> = fc.record({
    method: fc.constantFrom("GET" as const, "POST" as const),
    segments: fc.constantFrom(["signin", "oidc"], ["callback", "oidc"], ["callback", "oidc"], ["signin", "oidc", "x"]),
    cookie: fc.option(oidcCookie, { nil: undefined }),
    body: fc.dictionary(fc.constantFrom("csrfToken", "callbackUrl", "code", "state", "iss", "error", "json", "id_token"), text, { maxKeys: 5 }).map((form) => ({ form })),
    query: fc.option(
      fc.array(fc.tuple(fc.constantFrom("code", "state", "iss", "error", "error_description", "session_state", "callbackUrl"), text), { maxLength: 4 }).map((ps) => new URLSearchParams(ps).toString()),
      { nil: undefined },
    ),
  });

  it("never a 5xx, nothing written, no session, no redirect off the site or the issuer", async () => {
    await fc.assert(fc.asyncProperty(oidcRequest, (r) => attempt(r, idp.issuer)), { numRuns: RUNS * 5 });
  }, 600_000);
});
