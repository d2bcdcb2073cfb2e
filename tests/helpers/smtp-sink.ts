import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

/**
 * A REAL SMTP server on loopback (the smtp-server package) that accepts any mail and keeps it,
 * parsed with mailparser, for tests of outgoing mail. No TLS (STARTTLS disabled), no auth
 * needed (authOptional; any credentials are accepted). Not a mock of our code: nodemailer
 * speaks real SMTP to it.
 *
 * ```ts
 * const sink = await startSmtpSink();
 * useSinkForMail(sink, "Service Desk <help@desk.test>"); // tests/helpers/mail-env.ts
 * // … queue and send mail …
 * const m = await sink.waitFor((m) => m.to.includes("req@corp.test"));
 * expect(m.subject).toMatch(/^\[T-\d+\]/);
 * expect(m.header("auto-submitted")).toBe("auto-generated");
 * sink.failNext(1, 451);   // the next message gets "451 try later"
 * await sink.stop();       // connection refused until…
 * await sink.start();      // …listening again on the same port (messages kept)
 * await sink.close();      // afterAll
 * ```
 */

/** One message the sink accepted. */
export interface SinkMessage {
  /** SMTP envelope: MAIL FROM and RCPT TO addresses, lower-cased. */
  envelope: { from: string; to: string[] };
  /** Addresses of the To header, lower-cased. */
  to: string[];
  /** Addresses of the Cc header, lower-cased. */
  cc: string[];
  /** The From header as text (e.g. `Switchboard <switchboard@localhost>`). */
  from: string;
  subject: string;
  text: string;
  /** The HTML part, or "" when there is none. */
  html: string;
  /** Message-ID with angle brackets, or "" when missing. */
  messageId: string;
  /** In-Reply-To with angle brackets, or "". */
  inReplyTo: string;
  /** References ids with angle brackets, oldest first ([] when missing). */
  references: string[];
  /** A header's raw text value by (case-insensitive) name, or undefined (e.g. `list-unsubscribe`). */
  header: (name: string) => string | undefined;
  /** The whole parsed message (mailparser). */
  parsed: ParsedMail;
  /** The raw RFC 822 bytes as received. */
  raw: Buffer;
}

/** A message the sink refused (with {@link SmtpSink.failNext} or {@link SmtpSink.rejectRecipient}). */
export interface SinkRefusal {
  code: number;
  envelope: { from: string; to: string[] };
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`: put it in SMTP_URL (then resetEnvForTests()). */
  url: string;
  port: number;
  /** Messages accepted, in arrival order (kept across stop/start). */
  messages: SinkMessage[];
  /** Messages refused by failNext/rejectRecipient, in order. */
  refused: SinkRefusal[];
  /** Client connections that broke mid-transaction (e.g. ECONNRESET when the sending process was killed). */
  connectionErrors: Error[];
  /**
   * Refuse the next `n` messages after their data with `code` (default 451 = temporary, the
   * client should retry; 5xx = permanent) and `message`.
   */
  failNext: (n: number, code?: number, message?: string) => void;
  /** Refuse RCPT TO of this address (lower-cased) with `code` (default 550 "no such user") until cleared with `code` null. */
  rejectRecipient: (address: string, code?: number | null) => void;
  /** First message (already there or arriving) for which `pred` holds; rejects after `timeoutMs` (default 30 s) with what did arrive. */
  waitFor: (pred: (m: SinkMessage) => boolean, timeoutMs?: number) => Promise<SinkMessage>;
  /** Messages matching `pred` (all when omitted). */
  find: (pred?: (m: SinkMessage) => boolean) => SinkMessage[];
  /** Forget accepted and refused messages. */
  clear: () => void;
  /** Stop listening (the server is "down": connection refused); messages are kept. */
  stop: () => Promise<void>;
  /** Listen again on the same port after {@link stop}. */
  start: () => Promise<void>;
  /** Stop for good (afterAll). */
  close: () => Promise<void>;
}

const lower = (s: string) => s.toLowerCase();

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => lower(v.address ?? ""))).filter(Boolean);
}

function envelopeOf(session: SMTPServerSession): { from: string; to: string[] } {
  const from = session.envelope.mailFrom;
  return { from: from ? lower(from.address) : "", to: session.envelope.rcptTo.map((r) => lower(r.address)) };
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Start a sink on 127.0.0.1 (a free port, or `port`). */
export async function startSmtpSink(opts: { port?: number } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const refused: SinkRefusal[] = [];
  const waiters = new Set<() => void>();
  const rejected = new Map<string, number>();
  let failures: { left: number; code: number; message: string } = { left: 0, code: 451, message: "" };

  const connectionErrors: Error[] = [];
  const make = () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      banner: "switchboard test sink",
      onAuth(_auth, _session, cb) {
        cb(null, { user: "test" });
      },
      onRcptTo(address, session, cb) {
        const code = rejected.get(lower(address.address));
        if (code) {
          refused.push({ code, envelope: { ...envelopeOf(session), to: [lower(address.address)] } });
          return cb(smtpError(code, code >= 500 ? "no such user" : "try later"));
        }
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", (err) => cb(err));
        stream.on("end", () => {
          const envelope = envelopeOf(session);
          if (failures.left > 0) {
            failures.left -= 1;
            refused.push({ code: failures.code, envelope });
            return cb(smtpError(failures.code, failures.message));
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              const refs = parsed.references;
              messages.push({
                envelope,
                to: addressesOf(parsed.to),
                cc: addressesOf(parsed.cc),
                from: parsed.from?.text ?? "",
                subject: parsed.subject ?? "",
                text: parsed.text ?? "",
                html: typeof parsed.html === "string" ? parsed.html : "",
                messageId: parsed.messageId ?? "",
                inReplyTo: parsed.inReplyTo ?? "",
                references: Array.isArray(refs) ? refs : refs ? refs.split(/\s+/).filter(Boolean) : [],
                header: (name) => parsed.headerLines.find((h) => h.key === lower(name))?.line.replace(/^[^:]*:\s*/, "").replace(/\r?\n\s+/g, " "),
                parsed,
                raw,
              });
              for (const w of [...waiters]) w();
              cb();
            },
            (err: Error) => cb(err),
          );
        });
      },
    });
    // smtp-server emits a connection's socket error (ECONNRESET when a client process is killed
    // mid-transaction) on the server: without a listener that is an uncaught exception.
    s.on("error", (err: Error) => connectionErrors.push(err));
    return s;
  };

  let server = make();
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  const port = await listen(opts.port ?? 0);
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    refused,
    connectionErrors,
    failNext(n, code = 451, message = code >= 500 ? "permanent failure" : "try later") {
      failures = { left: n, code, message };
    },
    rejectRecipient(address, code = 550) {
      if (code === null) rejected.delete(lower(address));
      else rejected.set(lower(address), code);
    },
    find: (pred = () => true) => messages.filter(pred),
    clear() {
      messages.length = 0;
      refused.length = 0;
    },
    waitFor(pred, timeoutMs = 30_000) {
      return new Promise<SinkMessage>((resolve, reject) => {
        const check = () => {
          const hit = messages.find(pred);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = messages.map((m) => `${m.envelope.to.join(",")}: ${m.subject}`);
          reject(new Error(`SMTP sink: no matching message within ${timeoutMs} ms; received ${JSON.stringify(seen)}, refused ${refused.length}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    stop,
    async start() {
      if (running) return;
      server = make();
      await listen(port);
      running = true;
    },
    close: stop,
  };
}
