import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDbHandle, rows } from "@/db/client";
import { getBoss } from "@/lib/jobs/boss";
import { ensureQueues } from "@/lib/jobs/worker";
import { mailSendTask } from "@/lib/mail/send";
import { resetEnvForTests } from "@/lib/env";
import { OPTIONAL_MAIL_KINDS } from "@/lib/mail/kinds";
import {
  isMailEnabled,
  listMailPreferences,
  oneClickUnsubscribeUrl,
  setMailPreference,
  unsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from "@/lib/mail/preferences";
import { resendMail } from "@/lib/mail/resend";
import { useTestDb } from "../helpers/db";
import { newTicket, outboxRow, queueSimple, sendJobsOf } from "./outbound-helpers";

/* Without SMTP_URL: the dev outbox; preferences and unsubscribe tokens. */
const t = useTestDb();

beforeAll(async () => {
  delete process.env.SMTP_URL;
  process.env.NEXTAUTH_URL = "https://desk.test/";
  resetEnvForTests();
  // The queues exist (as in any app process), so "no send job" is a real check.
  const { db, kind } = await getDbHandle();
  await ensureQueues(db, kind, await getBoss(), [mailSendTask]);
});
afterAll(() => {
  delete process.env.NEXTAUTH_URL;
  resetEnvForTests();
});

describe("dev outbox (no SMTP_URL)", () => {
  it("mail is stored with status outbox, its Message-ID and headers, and no send job", async () => {
    const ticket = await newTicket(t.db, "Outlook crashes on start");
    const q = await queueSimple(t.db, { to: "Req@Corp.test", ticketId: ticket.id, kind: "resolved", subject: `[${ticket.key}] Resolved` });
    expect(q!.status).toBe("outbox");
    expect(await sendJobsOf(t.db, q!.id)).toBe(0);
    const row = await outboxRow(t.db, q!.id);
    expect(row).toMatchObject({ toAddress: "req@corp.test", kind: "resolved", subject: `[${ticket.key}] Resolved`, attempts: 0, sentAt: null });
    expect(row.messageId).toMatch(/^<[0-9a-f-]{36}@localhost>$/); // MAIL_FROM default switchboard@localhost
    expect(row.headers).toMatchObject({ "Auto-Submitted": "auto-generated", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    expect(row.headers["List-Unsubscribe"]).toBe(`<${oneClickUnsubscribeUrl("req@corp.test", "resolved")}>`);
    expect(row.htmlBody).toContain("https://desk.test/unsubscribe?token=");
    // Nothing can send it: resend is refused with a clear 409.
    await expect(resendMail(t.db, q!.id)).rejects.toMatchObject({ code: "conflict", status: 409 });
  });

  it("each mail gets its own random Message-ID; an invalid address gives a failed row instead of a throw", async () => {
    const a = await queueSimple(t.db, { to: "x@corp.test" });
    const b = await queueSimple(t.db, { to: "x@corp.test" });
    expect((await outboxRow(t.db, a!.id)).messageId).not.toBe((await outboxRow(t.db, b!.id)).messageId);
    const bad = await queueSimple(t.db, { to: "not an address" });
    expect(bad!.status).toBe("failed");
    expect((await outboxRow(t.db, bad!.id)).lastError).toMatch(/not a valid e-mail address/);
  });

  it("threading across two mails of one ticket: the second answers the first", async () => {
    const ticket = await newTicket(t.db, "Monitor flickers");
    const first = await queueSimple(t.db, { to: "req@corp.test", ticketId: ticket.id, kind: "ticket_received" });
    const second = await queueSimple(t.db, { to: "req@corp.test", ticketId: ticket.id, kind: "agent_reply" });
    const r1 = await outboxRow(t.db, first!.id);
    const r2 = await outboxRow(t.db, second!.id);
    expect(r1.inReplyTo).toBeNull();
    expect(r1.referencesHeader).toBeNull();
    expect(r2.inReplyTo).toBe(r1.messageId);
    expect(r2.referencesHeader).toBe(r1.messageId);
    // Mail on another ticket does not join this thread.
    const other = await newTicket(t.db, "Keyboard missing keys");
    const r3 = await outboxRow(t.db, (await queueSimple(t.db, { to: "req@corp.test", ticketId: other.id }))!.id);
    expect(r3.inReplyTo).toBeNull();
  });

  it("References keeps the 10 newest ids, oldest first", async () => {
    const ticket = await newTicket(t.db, "Shared drive is slow");
    const ids: string[] = [];
    for (let i = 0; i < 13; i++) {
      const q = await queueSimple(t.db, { to: "req@corp.test", ticketId: ticket.id });
      ids.push((await outboxRow(t.db, q!.id)).messageId!);
    }
    const last = await outboxRow(t.db, (await queueSimple(t.db, { to: "req@corp.test", ticketId: ticket.id }))!.id);
    expect(last.inReplyTo).toBe(ids[12]);
    expect(last.referencesHeader!.split(" ")).toEqual(ids.slice(3));
  });
});

describe("preferences and unsubscribe tokens", () => {
  it("a token round-trips; tampered, foreign and malformed tokens are rejected", () => {
    const token = unsubscribeToken("Alice@Corp.test", "waiting_on_you");
    expect(verifyUnsubscribeToken(token)).toEqual({ email: "alice@corp.test", kind: "waiting_on_you" });
    const [payload, sig] = token.split(".");
    // Another kind with the old signature.
    const forged = Buffer.from(JSON.stringify({ e: "alice@corp.test", k: "agent_reply" })).toString("base64url");
    expect(verifyUnsubscribeToken(`${forged}.${sig}`)).toBeNull();
    // One character of the signature changed.
    const flipped = sig.slice(0, -1) + (sig.endsWith("A") ? "B" : "A");
    expect(verifyUnsubscribeToken(`${payload}.${flipped}`)).toBeNull();
    // A transactional kind signed correctly would still not be accepted: simulate via a wrong payload shape.
    for (const bad of ["", "abc", `${payload}.`, `.${sig}`, `${payload}.${sig}.x`, `${payload}!.${sig}`, "x".repeat(2000)]) {
      expect(verifyUnsubscribeToken(bad)).toBeNull();
    }
    const url = new URL(unsubscribeUrl("alice@corp.test", "resolved"));
    expect(url.origin + url.pathname).toBe("https://desk.test/unsubscribe");
    expect(verifyUnsubscribeToken(url.searchParams.get("token")!)).toEqual({ email: "alice@corp.test", kind: "resolved" });
    const oneClick = new URL(oneClickUnsubscribeUrl("alice@corp.test", "resolved"));
    expect(oneClick.pathname).toBe("/api/mail/unsubscribe");
  });

  it("missing rows mean on; a switched-off kind is off for that address only; transactional kinds are always on", async () => {
    expect(await listMailPreferences(t.db, "bob@corp.test")).toEqual(Object.fromEntries(OPTIONAL_MAIL_KINDS.map((k) => [k, true])));
    await setMailPreference(t.db, "Bob@Corp.test", "assigned", false);
    await setMailPreference(t.db, "bob@corp.test", "assigned", false); // idempotent
    expect((await listMailPreferences(t.db, "BOB@corp.test")).assigned).toBe(false);
    expect(await isMailEnabled(t.db, "bob@corp.test", "assigned")).toBe(false);
    expect(await isMailEnabled(t.db, "carol@corp.test", "assigned")).toBe(true);
    expect(await isMailEnabled(t.db, "bob@corp.test", "invitation")).toBe(true);
    await setMailPreference(t.db, "bob@corp.test", "assigned", true);
    expect(await isMailEnabled(t.db, "bob@corp.test", "assigned")).toBe(true);
    const stored = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM mail_preferences WHERE email = 'bob@corp.test'`);
    expect(stored[0].n).toBe(1);
    // @ts-expect-error a transactional kind cannot be switched off
    await expect(setMailPreference(t.db, "bob@corp.test", "confirmation", false)).rejects.toThrow(/cannot be switched off/);
  });
});
