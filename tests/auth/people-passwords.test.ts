import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvents, users } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { acceptInvite, changeOwnPassword, FORGOT_EMAIL_LIMIT, FORGOT_IP_LIMIT, requestPasswordReset, resetPasswordWithToken } from "@/lib/users/admin/passwords";
import { invitePerson } from "@/lib/users/admin/people";
import { inspectUserToken } from "@/lib/users/admin/tokens";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { expireTokens, linkToken, mailsTo, signIn } from "./people-helpers";

const t = useTestDb();
const PASSWORD = "correct-horse-battery";
let admin: Actor;
let adminP: Principal;

const userPrincipal = (a: Actor, role: Principal["role"] = "agent"): Principal => ({ kind: "user", id: a.id, userId: a.id, role, email: a.email, label: a.email });
const sv = async (id: string) => (await t.db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, id)))[0].sv;
let ipN = 0;
const freshIp = () => `192.0.2.${++ipN}`;

beforeAll(async () => {
  admin = await makeActor(t.db, "ada@corp.test", "admin", { password: PASSWORD });
  adminP = { kind: "user", id: admin.id, userId: admin.id, role: "admin", email: admin.email, label: "Ada Admin" };
});

describe("invite links", () => {
  it("an expired invite is refused with 410 and the page sees 'expired'; a used one cannot be used again", async () => {
    const inv = await invitePerson(t.db, { email: "exp@corp.test", name: "Exp", role: "agent" }, adminP);
    const token = await linkToken(t.db, "exp@corp.test", "invite");
    const [mail] = await mailsTo(t.db, "exp@corp.test");
    expect(mail.text).toContain("Ada Admin invited you");
    expect(mail.text).toContain("7 days");
    expect((await inspectUserToken(t.db, token, "invite")).state).toBe("valid");
    // a reset page does not take an invite token
    expect((await inspectUserToken(t.db, token, "password_reset")).state).toBe("invalid");
    await expect(resetPasswordWithToken(t.db, token, "a-long-new-password")).rejects.toMatchObject({ status: 404 });

    await expireTokens(t.db, inv.person.id);
    expect((await inspectUserToken(t.db, token, "invite")).state).toBe("expired");
    await expect(acceptInvite(t.db, token, "a-long-new-password")).rejects.toMatchObject({ status: 410, code: "gone", details: { reason: "expired" } });
    expect(await signIn("exp@corp.test", "a-long-new-password")).toBeNull();

    // a new invite works once
    await invitePerson(t.db, { email: "exp@corp.test", name: "Exp", role: "agent" }, adminP);
    const token2 = await linkToken(t.db, "exp@corp.test", "invite");
    await acceptInvite(t.db, token2, "a-long-new-password");
    expect((await inspectUserToken(t.db, token2, "invite")).state).toBe("used");
    await expect(acceptInvite(t.db, token2, "an-attacker-password")).rejects.toMatchObject({ status: 410, details: { reason: "used" } });
    expect(await signIn("exp@corp.test", "an-attacker-password")).toBeNull();
    expect(await signIn("exp@corp.test", "a-long-new-password")).toMatchObject({ role: "agent" });
  });

  it("unknown and malformed tokens are 404", async () => {
    await expect(acceptInvite(t.db, "A".repeat(43), "a-long-new-password")).rejects.toMatchObject({ status: 404 });
    await expect(acceptInvite(t.db, "../../etc", "a-long-new-password")).rejects.toMatchObject({ status: 404 });
    expect((await inspectUserToken(t.db, "nope", "invite")).state).toBe("invalid");
  });
});

describe("forgot password", () => {
  it("an unknown e-mail answers the same and sends nothing; a known one gets a link that resets once", async () => {
    const pat = await makeActor(t.db, "pat@corp.test", "agent", { password: PASSWORD });
    await expect(requestPasswordReset(t.db, "nobody@corp.test", freshIp())).resolves.toBeUndefined();
    expect(await mailsTo(t.db, "nobody@corp.test")).toHaveLength(0);

    await expect(requestPasswordReset(t.db, "Pat@Corp.test", freshIp())).resolves.toBeUndefined();
    const [mail] = await mailsTo(t.db, "pat@corp.test");
    expect(mail).toMatchObject({ kind: "password_reset", status: "outbox" });
    expect(mail.text).toContain("1 hour");
    const token = await linkToken(t.db, "pat@corp.test", "reset-password");
    const before = await sv(pat.id);

    await resetPasswordWithToken(t.db, token, "a-brand-new-password");
    expect(await sv(pat.id)).toBe(before + 1);
    expect(await signIn("pat@corp.test", PASSWORD)).toBeNull();
    expect(await signIn("pat@corp.test", "a-brand-new-password")).toMatchObject({ email: "pat@corp.test" });
    await expect(resetPasswordWithToken(t.db, token, "yet-another-password")).rejects.toMatchObject({ status: 410 });
    expect(await signIn("pat@corp.test", "yet-another-password")).toBeNull();

    const actions = await t.db.select({ action: auditEvents.action, label: auditEvents.actorLabel }).from(auditEvents).where(and(eq(auditEvents.entityType, "user"), eq(auditEvents.entityId, pat.id)));
    expect(actions.map((a) => a.action).sort()).toEqual(["user.password_reset", "user.password_reset_requested"]);
    expect(JSON.stringify(actions)).not.toContain(token);
  });

  it("an expired reset link is refused (410); deactivated people get no mail", async () => {
    const lee = await makeActor(t.db, "lee@corp.test", "agent", { password: PASSWORD });
    await requestPasswordReset(t.db, "lee@corp.test", freshIp());
    const token = await linkToken(t.db, "lee@corp.test", "reset-password");
    await expireTokens(t.db, lee.id);
    await expect(resetPasswordWithToken(t.db, token, "a-brand-new-password")).rejects.toMatchObject({ status: 410, details: { reason: "expired" } });

    await makeActor(t.db, "off@corp.test", "agent", { password: PASSWORD });
    await t.db.update(users).set({ active: false }).where(eq(users.email, "off@corp.test"));
    await requestPasswordReset(t.db, "off@corp.test", freshIp());
    expect(await mailsTo(t.db, "off@corp.test")).toHaveLength(0);
  });

  it("is rate limited per IP (429) and per e-mail (no more mails, same answer)", async () => {
    const ip = freshIp();
    for (let i = 0; i < FORGOT_IP_LIMIT.limit; i++) await requestPasswordReset(t.db, `someone-${i}@corp.test`, ip);
    await expect(requestPasswordReset(t.db, "one-more@corp.test", ip)).rejects.toMatchObject({ status: 429, code: "rate_limited" });
    // another IP is not affected
    await expect(requestPasswordReset(t.db, "one-more@corp.test", freshIp())).resolves.toBeUndefined();

    await makeActor(t.db, "many@corp.test", "agent", { password: PASSWORD });
    for (let i = 0; i < FORGOT_EMAIL_LIMIT.limit + 2; i++) await expect(requestPasswordReset(t.db, "many@corp.test", freshIp())).resolves.toBeUndefined();
    expect(await mailsTo(t.db, "many@corp.test")).toHaveLength(FORGOT_EMAIL_LIMIT.limit);
  });
});

describe("self-service password change", () => {
  it("needs the current password, then ends the other sessions", async () => {
    const sam = await makeActor(t.db, "sam@corp.test", "agent", { password: PASSWORD });
    const p = userPrincipal(sam);
    await expect(changeOwnPassword(t.db, p, "wrong-password", "a-new-long-password")).rejects.toMatchObject({ status: 400, details: { field: "currentPassword" } });
    expect(await signIn("sam@corp.test", "a-new-long-password")).toBeNull();
    const before = await sv(sam.id);
    await changeOwnPassword(t.db, p, PASSWORD, "a-new-long-password");
    expect(await sv(sam.id)).toBe(before + 1);
    expect(await signIn("sam@corp.test", PASSWORD)).toBeNull();
    expect(await signIn("sam@corp.test", "a-new-long-password")).toMatchObject({ email: "sam@corp.test" });
  });

  it("refuses anonymous callers and API keys, and limits guessing", async () => {
    await expect(changeOwnPassword(t.db, null, PASSWORD, "a-new-long-password")).rejects.toMatchObject({ status: 401 });
    const keyP: Principal = { kind: "api_key", id: "k", userId: admin.id, role: "admin", email: admin.email, label: "api-key:x" };
    await expect(changeOwnPassword(t.db, keyP, PASSWORD, "a-new-long-password")).rejects.toMatchObject({ status: 401 });
    const gus = await makeActor(t.db, "gus@corp.test", "agent", { password: PASSWORD });
    for (let i = 0; i < 5; i++) await expect(changeOwnPassword(t.db, userPrincipal(gus), `guess-${i}`, "a-new-long-password")).rejects.toMatchObject({ status: 400 });
    await expect(changeOwnPassword(t.db, userPrincipal(gus), PASSWORD, "a-new-long-password")).rejects.toMatchObject({ status: 429 });
  });
});
