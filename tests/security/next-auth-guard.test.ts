import { nextAuth, setCookies } from "./next-auth-call"; // first: sets up Next's request storage
import { describe, expect, it } from "vitest";
import { useTestDb } from "../helpers/db";

/*
 * What the app answers where next-auth 4 alone would answer 500 (lib/auth/next-auth-guard.ts),
 * and that ordinary requests still reach next-auth.
 */
useTestDb();

async function answer(res: Response): Promise<{ status: number; body: { error?: { code: string; details: unknown } } | null; location: string | null; allow: string | null }> {
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, location: res.headers.get("location"), allow: res.headers.get("allow") };
}

describe("next-auth guard", () => {
  it("a callbackUrl that is neither a path nor an http(s) URL is a 400, in the query or the cookie (which is cleared)", async () => {
    for (const q of ["callbackUrl=x", "callbackUrl=+", "callbackUrl=javascript%3Aalert(1)", "callbackUrl=%2Fok&callbackUrl=mailto%3Aa%40b.c"]) {
      const r = await answer(await nextAuth("GET", ["csrf"], { query: q }));
      expect([r.status, r.body?.error?.code, r.body?.error?.details], q).toEqual([400, "bad_request", { field: "callbackUrl", source: "query" }]);
    }
    const res = await nextAuth("GET", ["session"], { cookie: "next-auth.callback-url=not%20a%20url" });
    const cleared = setCookies(res);
    const r = await answer(res);
    expect([r.status, r.body?.error?.details]).toEqual([400, { field: "callbackUrl", source: "cookie" }]);
    expect(cleared["next-auth.callback-url"]).toBe("");
  });

  it("paths and http(s) URLs still reach next-auth (off-site ones are dropped later by the redirect callback)", async () => {
    for (const q of ["callbackUrl=%2Ftickets", "callbackUrl=https%3A%2F%2Fevil.example%2F", "callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fx"]) {
      const r = await answer(await nextAuth("GET", ["csrf"], { query: q }));
      expect(r.status, q).toBe(200);
    }
    const r = await answer(await nextAuth("GET", ["session"], { cookie: "next-auth.callback-url=%2Ftickets" }));
    expect(r.status).toBe(200);
  });

  it("the credentials callback by GET is a 405 with Allow: POST", async () => {
    const r = await answer(await nextAuth("GET", ["callback", "credentials"]));
    expect([r.status, r.body?.error?.code, r.allow]).toEqual([405, "method_not_allowed", "POST"]);
  });

  it("the error page takes plain error codes only", async () => {
    for (const q of ["error=a%00b", "error=x%0D%0ALocation%3A%20https%3A%2F%2Fevil.example", "error=%E6%97%A5", "error=x%26callbackUrl%3D%2F%2Fevil.example"]) {
      const r = await answer(await nextAuth("GET", ["error"], { query: q }));
      expect([r.status, r.body?.error?.details], q).toEqual([400, { field: "error" }]);
    }
    expect((await answer(await nextAuth("GET", ["error", "a\nb"]))).status).toBe(400);
    const ok = await answer(await nextAuth("GET", ["error"], { query: "error=CredentialsSignin" }));
    expect(ok.status).toBe(302);
    expect(ok.location).toMatch(/\/signin\?error=CredentialsSignin$/);
  });
});
