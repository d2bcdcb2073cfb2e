import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import * as usersRoute from "@/app/api/admin/users/route";
import * as userRoute from "@/app/api/admin/users/[id]/route";
import * as resetRoute from "@/app/api/admin/users/[id]/password-reset/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import { apiKeys, auditEvents, users } from "@/db/schema";
import { authSecret } from "@/lib/auth/secret";
import { acceptInvite } from "@/lib/users/admin/passwords";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";
import { linkToken, mailsTo, signIn } from "./people-helpers";

const t = useTestDb();
const PASSWORD = "correct-horse-battery";
let admin: Actor;
let agent: Actor;

/** A session cookie for the user as next-auth would mint it (with their current session version). */
async function sessionCookie(userId: string): Promise<string> {
  const [u] = await t.db.select({ role: users.role, sv: users.sessionVersion }).from(users).where(eq(users.id, userId));
  const token = await encode({ token: { sub: userId, role: u.role, sv: u.sv }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}
const ticketsWith = async (o: { key?: string; cookie?: string }) => (await call(ticketsRoute.GET, { path: "/api/tickets", ...o })).status;
const patch = (id: string, body: unknown, key = admin.key) => call(userRoute.PATCH, { method: "PATCH", path: `/api/admin/users/${id}`, params: { id }, body, key });
const audits = (userId: string) => t.db.select().from(auditEvents).where(and(eq(auditEvents.entityType, "user"), eq(auditEvents.entityId, userId)));

beforeAll(async () => {
  admin = await makeActor(t.db, "ada@corp.test", "admin", { password: PASSWORD });
  agent = await makeActor(t.db, "pat@corp.test", "agent", { password: PASSWORD });
});

describe("people admin API", () => {
  it("is for admins only", async () => {
    expect((await call(usersRoute.GET, { path: "/api/admin/users" })).status).toBe(401);
    expect((await call(usersRoute.GET, { path: "/api/admin/users", key: agent.key })).status).toBe(403);
    const r = await call(usersRoute.POST, { path: "/api/admin/users", key: agent.key, body: { email: "x@corp.test", name: "X", role: "admin" } });
    expect(r.status).toBe(403);
    expect(await t.db.select().from(users).where(eq(users.email, "x@corp.test"))).toHaveLength(0);
  });

  it("invite → mail with a set-password link → accept sets the password and activates → sign-in works", async () => {
    const r = await call(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email: "New.Person@Corp.test", name: "New Person", role: "agent", teamSlug: "infrastructure" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ email: "new.person@corp.test", role: "agent", teamSlug: "infrastructure", status: "invited", hasPassword: false, invite: { sent: true, to: "new.person@corp.test" } });
    const hours = (Date.parse(r.body.invite.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(167);
    expect(hours).toBeLessThanOrEqual(168);
    expect(JSON.stringify(r.body)).not.toMatch(/token|hash/i);

    const [mail] = await mailsTo(t.db, "new.person@corp.test");
    expect(mail).toMatchObject({ kind: "account_invite", status: "outbox" });
    expect(mail.text).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    const token = await linkToken(t.db, "new.person@corp.test", "invite");

    // not active yet: cannot sign in, shows as invited in the list
    expect(await signIn("new.person@corp.test", PASSWORD)).toBeNull();
    const listed = await call(usersRoute.GET, { path: "/api/admin/users?status=invited", key: admin.key });
    expect(listed.body.items.map((p: { email: string }) => p.email)).toEqual(["new.person@corp.test"]);

    const accepted = await acceptInvite(t.db, token, "a-new-long-password");
    expect(accepted.email).toBe("new.person@corp.test");
    expect(await signIn("new.person@corp.test", "a-new-long-password")).toMatchObject({ email: "new.person@corp.test", role: "agent" });
    const person = await call(userRoute.GET, { path: `/api/admin/users/${r.body.id}`, params: { id: r.body.id }, key: admin.key });
    expect(person.body).toMatchObject({ status: "active", hasPassword: true, inviteExpiresAt: null });
    expect((await audits(r.body.id)).map((a) => a.action).sort()).toEqual(["user.invite_accepted", "user.invited"]);
    // the token is stored hashed only
    expect(JSON.stringify(await t.db.execute(`SELECT * FROM user_tokens`))).not.toContain(token);
  });

  it("refuses to invite an e-mail that has an account with a password (409) and an unknown team (400)", async () => {
    const dup = await call(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email: "pat@corp.test", name: "Pat", role: "agent" } });
    expect(dup.status).toBe(409);
    const team = await call(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email: "t@corp.test", name: "T", role: "agent", teamSlug: "no-such-team" } });
    expect(team.status).toBe(400);
    expect(team.body.error.details.field).toBe("teamSlug");
  });

  it("lists with search, role and status filters", async () => {
    await makeActor(t.db, "requester.rita@corp.test", "requester");
    const q = await call(usersRoute.GET, { path: "/api/admin/users?q=RITA", key: admin.key });
    expect(q.body.items.map((p: { email: string }) => p.email)).toEqual(["requester.rita@corp.test"]);
    const admins = await call(usersRoute.GET, { path: "/api/admin/users?role=admin", key: admin.key });
    expect(admins.body.items.map((p: { email: string }) => p.email)).toEqual(["ada@corp.test"]);
    const bad = await call(usersRoute.GET, { path: "/api/admin/users?status=gone", key: admin.key });
    expect(bad.status).toBe(400);
    const underscore = await call(usersRoute.GET, { path: "/api/admin/users?q=_", key: admin.key });
    expect(underscore.body.total).toBe(0);
  });

  it("guards the last active admin: neither demoted nor deactivated (409 last_admin); with a second admin it works", async () => {
    const demote = await patch(admin.id, { role: "agent" });
    expect(demote.status).toBe(409);
    expect(demote.body.error.details.reason).toBe("last_admin");
    expect((await patch(admin.id, { active: false })).body.error.details.reason).toBe("last_admin");
    const [row] = await t.db.select({ role: users.role, active: users.active }).from(users).where(eq(users.id, admin.id));
    expect(row).toEqual({ role: "admin", active: true });

    const second = await makeActor(t.db, "second.admin@corp.test", "admin", { password: PASSWORD });
    expect((await patch(second.id, { role: "agent" }, admin.key)).status).toBe(200);
    expect((await patch(admin.id, { active: false }, admin.key)).status).toBe(409);
  });

  it("deactivation ends the person's sessions and their API key stops working; reactivation does not bring the key back", async () => {
    const dee = await makeActor(t.db, "dee@corp.test", "agent", { password: PASSWORD });
    const cookie = await sessionCookie(dee.id);
    expect(await ticketsWith({ key: dee.key })).toBe(200);
    expect(await ticketsWith({ cookie })).toBe(200);

    const r = await patch(dee.id, { active: false });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("deactivated");
    expect(await ticketsWith({ key: dee.key })).toBe(401);
    expect(await ticketsWith({ cookie })).toBe(401);
    expect(await signIn("dee@corp.test", PASSWORD)).toBeNull();
    const [audit] = (await audits(dee.id)).filter((a) => a.action === "user.updated");
    expect(audit).toMatchObject({ actorLabel: `api-key:admin-ada@corp.test`, before: { active: true }, after: { active: false, revokedApiKeys: 1 } });

    expect((await patch(dee.id, { active: true })).body.status).toBe("active");
    expect(await signIn("dee@corp.test", PASSWORD)).toMatchObject({ email: "dee@corp.test" });
    expect(await ticketsWith({ key: dee.key })).toBe(401);
    expect(await ticketsWith({ cookie })).toBe(401);
  });

  it("a role change takes effect: old session and key refused, the next sign-in carries the new role", async () => {
    const rob = await makeActor(t.db, "rob@corp.test", "agent", { password: PASSWORD });
    const cookie = await sessionCookie(rob.id);
    expect(await ticketsWith({ cookie })).toBe(200);
    const r = await patch(rob.id, { role: "requester", teamSlug: null });
    expect(r.status).toBe(200);
    expect(r.body.role).toBe("requester");
    expect(await ticketsWith({ cookie })).toBe(401);
    expect(await ticketsWith({ key: rob.key })).toBe(401);
    expect(await signIn("rob@corp.test", PASSWORD)).toMatchObject({ role: "requester" });
    const [k] = await t.db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.userId, rob.id));
    expect(k.revokedAt).not.toBeNull();
  });

  it("a team change keeps sessions; an empty change writes nothing", async () => {
    const tia = await makeActor(t.db, "tia@corp.test", "agent", { password: PASSWORD });
    const cookie = await sessionCookie(tia.id);
    expect((await patch(tia.id, { teamSlug: "infrastructure" })).body.teamSlug).toBe("infrastructure");
    expect(await ticketsWith({ cookie })).toBe(200);
    expect((await patch(tia.id, { teamSlug: "infrastructure" })).status).toBe(200);
    expect((await audits(tia.id)).length).toBe(1);
    expect((await patch(tia.id, {})).status).toBe(400);
    expect((await patch("not-a-uuid", { active: true })).status).toBe(404);
  });

  it("admin password reset mails a link (no password shown); refused for deactivated people", async () => {
    const r = await call(resetRoute.POST, { method: "POST", path: `/api/admin/users/${agent.id}/password-reset`, params: { id: agent.id }, key: admin.key });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(["expiresAt", "sent", "to"]);
    const minutes = (Date.parse(r.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(59);
    expect(minutes).toBeLessThanOrEqual(60);
    await linkToken(t.db, "pat@corp.test", "reset-password");
    // the current password still works until a new one is chosen
    expect(await signIn("pat@corp.test", PASSWORD)).not.toBeNull();

    const gone = await makeActor(t.db, "gone@corp.test", "agent", { password: PASSWORD });
    await patch(gone.id, { active: false });
    const refused = await call(resetRoute.POST, { method: "POST", path: `/api/admin/users/${gone.id}/password-reset`, params: { id: gone.id }, key: admin.key });
    expect(refused.status).toBe(409);
    expect(await mailsTo(t.db, "gone@corp.test")).toHaveLength(0);
  });

  it("deactivating an invited person voids the invite link", async () => {
    const r = await call(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email: "ivy@corp.test", name: "Ivy", role: "requester" } });
    const token = await linkToken(t.db, "ivy@corp.test", "invite");
    expect((await patch(r.body.id, { active: false })).body.status).toBe("deactivated");
    await expect(acceptInvite(t.db, token, "another-long-password")).rejects.toMatchObject({ status: 404 });
    // inviting again sends a new link that works
    const again = await call(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email: "ivy@corp.test", name: "Ivy", role: "requester" } });
    expect(again.status).toBe(201);
    const token2 = await linkToken(t.db, "ivy@corp.test", "invite");
    expect(token2).not.toBe(token);
    await acceptInvite(t.db, token2, "another-long-password");
    expect(await signIn("ivy@corp.test", "another-long-password")).toMatchObject({ role: "requester" });
  });
});
