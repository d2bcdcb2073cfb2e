import { withRequestScope } from "./next-request-scope"; // first: sets up Next's request storage
import { beforeAll, describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { encode } from "next-auth/jwt";
import SignInPage from "@/app/signin/page";
import { safeCallbackPath } from "@/lib/auth/callback";
import { getAuthOptions } from "@/lib/auth/options";
import { authSecret } from "@/lib/auth/secret";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";

const t = useTestDb();
const ORIGIN = "http://localhost:3000";

/** Values that must never lead off-site (or crash the page). */
const HOSTILE = [
  "/\t/evil.example", // the reported one: %2F%09%2Fevil.example
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "//evil.example",
  "///evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "https://evil.example",
  "https://evil.example/tickets",
  "http://localhost:3000@evil.example/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " https://evil.example",
];

describe("callbackUrl sanitizer", () => {
  it.each(HOSTILE)("rejects %j", (v) => {
    expect(safeCallbackPath(v)).toBeNull();
    expect(safeCallbackPath(v, ORIGIN)).toBeNull();
  });

  it.each([
    ["/tickets", "/tickets"],
    ["/tickets?status=open&q=a b#top", "/tickets?status=open&q=a%20b#top"],
    ["/a\r\nb", "/ab"],
    ["/tickets/ä?x=ü", "/tickets/%C3%A4?x=%C3%BC"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps the same-site path %j as %j", (v, expected) => {
    expect(safeCallbackPath(v)).toBe(expected);
    const out = safeCallbackPath(v)!;
    expect(/^[\x21-\x7e]*$/.test(out)).toBe(true); // printable ASCII only: safe in a Location header
  });

  it("accepts absolute URLs only on the given origin, reduced to their path", () => {
    expect(safeCallbackPath(`${ORIGIN}/dashboard?x=1`, ORIGIN)).toBe("/dashboard?x=1");
    expect(safeCallbackPath(`${ORIGIN}/dashboard`)).toBeNull();
    expect(safeCallbackPath("http://localhost:3001/dashboard", ORIGIN)).toBeNull();
  });

  it("drops very long values and takes the first of repeated ones", () => {
    expect(safeCallbackPath(`/${"a".repeat(5000)}`)).toBeNull();
    expect(safeCallbackPath(["/tickets", "//evil.example"])).toBe("/tickets");
    expect(safeCallbackPath([])).toBeNull();
  });

  it("next-auth's redirect callback keeps the browser on this site", async () => {
    const redirect = getAuthOptions().callbacks!.redirect!;
    for (const url of [...HOSTILE, ...HOSTILE.map((v) => `${ORIGIN}/signin?x=${encodeURIComponent(v)}`).slice(0, 1)]) {
      const out = await redirect({ url, baseUrl: ORIGIN });
      expect(new URL(out).origin, url).toBe(ORIGIN);
    }
    expect(await redirect({ url: "/tickets", baseUrl: ORIGIN })).toBe(`${ORIGIN}/tickets`);
    expect(await redirect({ url: "https://evil.example/x", baseUrl: ORIGIN })).toBe(ORIGIN);
  });
});

/** Render /signin?callbackUrl=<value> like the server does: HTML, or where it redirects. */
async function renderSignIn(value: string, cookie?: string): Promise<{ html?: string; redirect?: string }> {
  const url = `${ORIGIN}/signin?callbackUrl=${encodeURIComponent(value)}`;
  const req = new Request(url, { headers: cookie ? { cookie } : {} });
  return withRequestScope(req, "/signin", async () => {
    try {
      const el = await SignInPage({ searchParams: Promise.resolve({ callbackUrl: value }) });
      return { html: renderToString(el) };
    } catch (err) {
      const digest = String((err as { digest?: string }).digest ?? "");
      if (digest.startsWith("NEXT_REDIRECT")) return { redirect: digest.split(";")[2] };
      throw err;
    }
  });
}

describe("/signin with hostile callbackUrl values", () => {
  let cookie: string;
  beforeAll(async () => {
    const u = await makeActor(t.db, "pat@corp.test", "agent");
    cookie = `next-auth.session-token=${await encode({ token: { sub: u.id, role: "agent", sv: 1 }, secret: authSecret() })}`;
  });

  const VALUES = [...HOSTILE, "/tickets/ä?ü=1", "/x\r\nSet-Cookie: a=b", "/" + "a".repeat(10_000), "%E0%A4%A"];

  it.each(VALUES)("signed out: renders the form for %j", async (v) => {
    const r = await renderSignIn(v);
    expect(r.html).toContain("Sign in to Switchboard");
  });

  it.each(VALUES)("signed in: redirects on this site for %j", async (v) => {
    const r = await renderSignIn(v, cookie);
    expect(r.redirect).toBeDefined();
    expect(r.redirect!.startsWith("/") && !r.redirect!.startsWith("//") && !r.redirect!.startsWith("/\\")).toBe(true);
    expect(/^[\x21-\x7e]*$/.test(r.redirect!)).toBe(true);
    expect(new URL(r.redirect!, ORIGIN).origin).toBe(ORIGIN);
  });
});
