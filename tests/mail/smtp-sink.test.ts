import net from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp-sink";

/*
 * The SMTP sink the mail and fault tests deliver to: a client that dies mid-transaction (the
 * process-kill fault test SIGKILLs an app while it sends) is recorded, not an uncaught exception
 * in the test process (smtp-server emits such socket errors on the server).
 */
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

/** Speak SMTP up to the middle of DATA, then reset the connection (RST, as a killed process's socket). */
async function resetMidTransaction(port: number): Promise<void> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  let buffered = "";
  const expectLine = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${re} in ${JSON.stringify(buffered)}`)), 5000);
      const check = () => {
        if (!re.test(buffered)) return;
        clearTimeout(timer);
        socket.off("data", onData);
        buffered = "";
        resolve();
      };
      const onData = (c: Buffer) => {
        buffered += c.toString("utf8");
        check();
      };
      socket.on("data", onData);
      check();
    });
  await expectLine(/^220 /m);
  for (const [cmd, reply] of [["EHLO client.test", /^250 /m], ["MAIL FROM:<desk@kill.test>", /^250 /m], ["RCPT TO:<ada@corp.test>", /^250 /m], ["DATA", /^354 /m]] as const) {
    socket.write(`${cmd}\r\n`);
    await expectLine(reply);
  }
  socket.write("Subject: cut\r\n\r\nhalf a mess");
  await new Promise((r) => setTimeout(r, 50));
  socket.resetAndDestroy();
}

describe("SMTP sink", () => {
  it("records a client reset mid-transaction instead of throwing, and goes on accepting mail", async () => {
    await resetMidTransaction(sink.port);
    const deadline = Date.now() + 5000;
    while (sink.connectionErrors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sink.connectionErrors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(["ECONNRESET"]);
    expect(sink.messages).toHaveLength(0);
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: sink.port, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: "desk@kill.test", to: "ada@corp.test", subject: "after the cut", text: "whole" });
    expect(sink.messages.map((m) => m.subject)).toEqual(["after the cut"]);
  });
});
