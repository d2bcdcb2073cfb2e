import { nextAuth, setCookies } from "./next-auth-call"; // first: sets up Next's request storage
import { beforeAll, describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import * as signOutEverywhereRoute from "@/app/api/auth/sign-out-everywhere/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { authSecret } from "@/lib/auth/secret";
import { changePassword, deactivateUser, setUserRole, signOutEverywhere } from "@/lib/users/session-version";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const t = useTestDb();
const PASSWORD = "correct-horse-battery";

/** A real HTTP sign-in (csrf, then the credentials callback): the session cookie it sets. */
async function signIn(email: string, password = PASSWORD): Promise<string> {
  const csrfRes = await nextAuth("GET", ["csrf"]);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = Object.entries(setCookies(csrfRes)).map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await nextAuth("POST", ["callback", "credentials"], {
    cookie: csrfCookie,
    form: { csrfToken, email, password, json: "true" },
  });
  const token = setCookies(res)["next-auth.session-token"];
  expect(token, `sign-in of ${email} set no session cookie (status ${res.status})`).toBeTruthy();
  return `next-auth.session-token=${token}`;
}

async function sessionOf(cookie: string): Promise<{ body: { user?: { email?: string } }; cleared: boolean }> {
  const res = await nextAuth("GET", ["session"], { cookie });
  const cookies = setCookies(res);
  return { body: (await res.json()) as { user?: { email?: string } }, cleared: cookies["next-auth.session-token"] === "" };
}

const ticketsStatus = async (cookie: string) => (await call(ticketsRoute.GET, { path: "/api/tickets", cookie })).status;

let pat: Actor;
beforeAll(async () => {
  pat = await makeActor(t.db, "pat@corp.test", "agent", { password: PASSWORD });
});

describe("session version", () => {
  it("a session minted before sign-out everywhere is refused after it, by the API and by /api/auth/session", async () => {
    const copied = await signIn("pat@corp.test");
    expect(await ticketsStatus(copied)).toBe(200);
    expect((await sessionOf(copied)).body.user?.email).toBe("pat@corp.test");

    const res = await call(signOutEverywhereRoute.POST, { method: "POST", path: "/api/auth/sign-out-everywhere", cookie: copied });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join("\n")).toMatch(/next-auth\.session-token=;.*Max-Age=0/i);

    expect(await ticketsStatus(copied)).toBe(401);
    const s = await sessionOf(copied);
    expect(s.body).toEqual({});
    expect(s.cleared).toBe(true);
    // signing in again gives a working session
    expect(await ticketsStatus(await signIn("pat@corp.test"))).toBe(200);
  });

  it("a deactivated user gets no session and no reissued cookie from /api/auth/session", async () => {
    const dee = await makeActor(t.db, "dee@corp.test", "agent", { password: PASSWORD });
    const cookie = await signIn("dee@corp.test");
    const before = await sessionOf(cookie);
    expect(before.body.user?.email).toBe("dee@corp.test");
    expect(before.cleared).toBe(false);

    await deactivateUser(t.db, dee.id);
    const after = await sessionOf(cookie);
    expect(after.body).toEqual({});
    expect(after.cleared).toBe(true);
    expect(await ticketsStatus(cookie)).toBe(401);
    // and cannot sign in again
    const csrfRes = await nextAuth("GET", ["csrf"]);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const csrfCookie = Object.entries(setCookies(csrfRes)).map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await nextAuth("POST", ["callback", "credentials"], { cookie: csrfCookie, form: { csrfToken, email: "dee@corp.test", password: PASSWORD, json: "true" } });
    expect(setCookies(res)["next-auth.session-token"]).toBeUndefined();
  });

  it("a role change and a password change end existing sessions", async () => {
    const cookie = await signIn("pat@corp.test");
    await setUserRole(t.db, pat.id, "admin");
    expect(await ticketsStatus(cookie)).toBe(401);
    const cookie2 = await signIn("pat@corp.test");
    expect(await ticketsStatus(cookie2)).toBe(200);
    await changePassword(t.db, pat.id, "another-long-password");
    expect(await ticketsStatus(cookie2)).toBe(401);
    expect(await ticketsStatus(await signIn("pat@corp.test", "another-long-password"))).toBe(200);
  });

  it("refuses tokens without a session version or with a stale one", async () => {
    const secret = authSecret();
    const noSv = await encode({ token: { sub: pat.id, role: "agent" }, secret });
    expect(await ticketsStatus(`next-auth.session-token=${noSv}`)).toBe(401);
    const u = await signOutEverywhere(t.db, pat.id);
    const stale = await encode({ token: { sub: pat.id, role: "agent", sv: u!.sessionVersion - 1 }, secret });
    expect(await ticketsStatus(`next-auth.session-token=${stale}`)).toBe(401);
    const current = await encode({ token: { sub: pat.id, role: "agent", sv: u!.sessionVersion }, secret });
    expect(await ticketsStatus(`next-auth.session-token=${current}`)).toBe(200);
  });

  it("sign-out everywhere needs a signed-in user", async () => {
    const res = await call(signOutEverywhereRoute.POST, { method: "POST", path: "/api/auth/sign-out-everywhere" });
    expect(res.status).toBe(401);
  });
});
