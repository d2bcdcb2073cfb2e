import { describe, expect, it } from "vitest";
import { ImapFlow } from "imapflow";
import { useDovecot } from "../helpers/use-dovecot";

/* The private dovecot helper itself: what the IMAP poller tests and the e2e journey rely on. */

const dv = useDovecot({ desk: "desk-pass", other: "other-pass" });

const mail = (subject: string) =>
  [`From: Ann <ann@example.com>`, `To: desk@example.com`, `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, "")}@example.com>`, `Date: Tue, 01 Dec 2026 10:00:00 +0000`, "", "Hello."].join("\r\n");

describe("tests/helpers/dovecot", () => {
  it("appends and lists messages per user and folder, with flags", async () => {
    await dv.server.append("desk", mail("First one"));
    await dv.server.append("desk", mail("Second"), "Archive", ["\\Seen"]);
    expect(await dv.server.list("desk")).toEqual([{ uid: 1, flags: [], subject: "First one" }]);
    expect(await dv.server.list("desk", "Archive")).toEqual([{ uid: 1, flags: ["\\Seen"], subject: "Second" }]);
    expect(await dv.server.list("other")).toEqual([]);
    expect(await dv.server.list("desk", "Nope")).toEqual([]);
  });

  it("refuses a wrong password, and serves the same data after stop and start", async () => {
    const u = new URL(dv.server.url("desk", "wrong"));
    expect(u.protocol).toBe("imap:");
    expect(decodeURIComponent(u.pathname)).toBe("/INBOX");
    const wrong = new ImapFlow({ host: u.hostname, port: Number(u.port), secure: false, auth: { user: "desk", pass: "wrong" }, logger: false });
    await expect(wrong.connect()).rejects.toMatchObject({ authenticationFailed: true });
    await dv.server.stop();
    await expect(dv.server.list("desk")).rejects.toThrow();
    await dv.server.start();
    expect((await dv.server.list("desk")).map((m) => m.subject)).toEqual(["First one"]);
  });

  it("delivers into a maildir while the server is stopped; the message is there after a start", async () => {
    await dv.server.stop();
    dv.server.deliver("other", mail("Offline delivery"));
    await dv.server.start();
    expect((await dv.server.list("other")).map((m) => m.subject)).toEqual(["Offline delivery"]);
  });
});
