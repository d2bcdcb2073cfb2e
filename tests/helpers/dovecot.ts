import { spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";

/*
 * A private Dovecot IMAP server for one test file (Debian's dovecot-imapd, /usr/sbin/dovecot):
 * its own config, users, maildirs, base_dir and log in a temp dir, listening on 127.0.0.1 and a
 * free port, plain IMAP without TLS (loopback only). Several test files can each run one at
 * once. Dovecot's master must start as root to switch to its unprivileged users (dovenull for
 * the login process, dovecot for internal services, nobody for mail); CI and the dev machine
 * run as root. Not root: startDovecot fails with a message saying so.
 *
 * No vitest import here: Playwright specs (e2e/mail-servers.ts) use it too. Vitest files use
 * tests/helpers/use-dovecot.ts.
 */

const DOVECOT = process.env.DOVECOT_BIN ?? "/usr/sbin/dovecot";

/** A message in a folder, as {@link DovecotServer.list} returns it. */
export interface ListedMessage {
  uid: number;
  /** IMAP flags and keywords, e.g. `\\Seen`, `$SwitchboardDone` (not the per-session `\\Recent`). */
  flags: string[];
  subject: string;
}

export interface DovecotServer {
  host: string;
  port: number;
  /** Dovecot's log file (read it when something fails). */
  logPath: string;
  /** `imap://user:pass@127.0.0.1:<port>/<folder>` (folder default INBOX), plus optional query `params`. */
  url(user: string, pass?: string, folder?: string, params?: Record<string, string>): string;
  /** APPEND a raw RFC 822 message to `folder` (default INBOX, created when missing) as `user`, with optional IMAP flags. */
  append(user: string, raw: Buffer | string, folder?: string, flags?: string[]): Promise<void>;
  /**
   * Drop a message straight into `user`'s INBOX maildir (`new/`), without IMAP, as a local
   * delivery agent would: works while the server is stopped. Dovecot sees it on the next access.
   */
  deliver(user: string, raw: Buffer | string): void;
  /** The messages of `folder` (default INBOX) of `user`, by UID; [] when the folder does not exist. */
  list(user: string, folder?: string): Promise<ListedMessage[]>;
  /** Stop the server (SIGTERM to its process group: connections drop at once; resolves when the master has exited). The data stays. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data (after {@link stop}). */
  start(): Promise<void>;
  /** Stop it and remove its temp dir. */
  close(): Promise<void>;
  /** The last `lines` lines of the log. */
  log(lines?: number): string;
  /**
   * Poll `fn` every 50 ms until it returns a truthy value (returned), for at most `timeoutMs`
   * (default 20 s). @throws Error naming `what`, with the tail of the server's log.
   */
  waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs?: number): Promise<T>;
}

function uidOf(name: string): { uid: number; gid: number } | null {
  try {
    const line = execFileSync("getent", ["passwd", name], { encoding: "utf8" }).trim();
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

/**
 * A free loopback port below 32768: mailboxes.port is a smallint (max 32767), and tests store
 * this server as an admin mailbox. (Linux hands out ephemeral ports from 32768 up, so ports
 * here rarely collide with outgoing connections.)
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const ok = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.unref();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

function config(dir: string, port: number, mailUser: { uid: number; gid: number }, extra: string): string {
  return `# private test server (tests/helpers/dovecot.ts)
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = sbtest-${port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:${dir}/mail/%u/Maildir
passdb {
  driver = passwd-file
  args = ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
namespace inbox {
  inbox = yes
}
${extra}
`;
}

/**
 * Start a private Dovecot with `users` (name → password) and optional `extraConfig` lines
 * (e.g. `imap_capability = …` to hide IDLE). Resolves once the port accepts connections.
 * @throws Error when not root, when dovecot or its users (dovecot, dovenull, nobody) are
 *   missing, or when the server does not come up within 20 s (the error carries its log).
 */
export async function startDovecot(opts: { users: Record<string, string>; extraConfig?: string }): Promise<DovecotServer> {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new Error("tests/helpers/dovecot.ts: the private dovecot must be started as root (its master switches to the dovecot, dovenull and nobody users); run the IMAP tests as root, as CI does");
  }
  if (!fs.existsSync(DOVECOT)) throw new Error(`tests/helpers/dovecot.ts: ${DOVECOT} not found; install dovecot-imapd (.ci/run does)`);
  for (const u of ["dovecot", "dovenull"]) {
    if (!uidOf(u)) throw new Error(`tests/helpers/dovecot.ts: system user ${u} is missing; install dovecot-core`);
  }
  const mailUser = uidOf("nobody");
  if (!mailUser) throw new Error("tests/helpers/dovecot.ts: system user nobody is missing");

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-dovecot-"));
  // The login and mail processes run unprivileged: they must reach the base_dir and maildirs.
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, "mail"));
  fs.chownSync(path.join(dir, "mail"), mailUser.uid, mailUser.gid);
  fs.writeFileSync(
    path.join(dir, "users"),
    Object.entries(opts.users)
      .map(([u, p]) => `${u}:{PLAIN}${p}`)
      .join("\n") + "\n",
  );
  const logPath = path.join(dir, "dovecot.log");
  const host = "127.0.0.1";
  let port = 0;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = "";

  const readLog = (lines = 40) => {
    const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, "utf8") : "";
    return [...text.split("\n").slice(-lines), output.trim()].filter(Boolean).join("\n");
  };

  const launch = async () => {
    const conf = path.join(dir, "dovecot.conf");
    fs.writeFileSync(conf, config(dir, port, mailUser, opts.extraConfig ?? ""));
    output = "";
    // Its own process group, so stop() ends the master and its imap processes at once (on its
    // own, an imap process in IDLE lingers ~10 s after the master is gone).
    const proc = spawn(DOVECOT, ["-F", "-c", conf], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    child = proc;
    proc.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    let dead = false;
    exited = new Promise((resolve) => proc.once("exit", () => ((dead = true), resolve())));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (dead) throw new Error(`dovecot exited while starting on port ${port}; log ${logPath}:\n${readLog()}`);
      if (await canConnect(host, port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill("SIGKILL");
    throw new Error(`dovecot did not accept connections on ${host}:${port} within 20 s; log ${logPath}:\n${readLog()}`);
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    try {
      process.kill(-c.pid, "SIGTERM");
    } catch {
      c.kill("SIGTERM");
    }
    await exited;
  };

  // A free port can be taken between probing and binding: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (err) {
      await stop();
      if (attempt >= 2) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const connect = async (user: string) => {
    const pass = opts.users[user];
    if (pass === undefined) throw new Error(`dovecot helper: unknown user ${user}`);
    const client = new ImapFlow({ host, port, secure: false, auth: { user, pass }, logger: false, disableAutoIdle: true });
    await client.connect();
    return client;
  };

  const server: DovecotServer = {
    host,
    port,
    logPath,
    url(user, pass, folder = "INBOX", params) {
      const u = new URL(`imap://${host}:${port}/`);
      u.username = encodeURIComponent(user);
      u.password = encodeURIComponent(pass ?? opts.users[user] ?? "");
      u.pathname = `/${encodeURIComponent(folder)}`;
      for (const [k, v] of Object.entries(params ?? {})) u.searchParams.set(k, v);
      return u.toString();
    },
    async append(user, raw, folder = "INBOX", flags = []) {
      const client = await connect(user);
      try {
        if (folder !== "INBOX") await client.mailboxCreate(folder).catch(() => undefined);
        const r = await client.append(folder, typeof raw === "string" ? Buffer.from(raw) : raw, flags);
        if (!r) throw new Error(`APPEND to ${folder} failed; log:\n${readLog()}`);
      } finally {
        await client.logout().catch(() => undefined);
      }
    },
    deliver(user, raw) {
      if (opts.users[user] === undefined) throw new Error(`dovecot helper: unknown user ${user}`);
      let d = path.join(dir, "mail");
      for (const part of [user, "Maildir"]) {
        d = path.join(d, part);
        if (!fs.existsSync(d)) {
          fs.mkdirSync(d, { mode: 0o700 });
          fs.chownSync(d, mailUser.uid, mailUser.gid);
        }
      }
      for (const sub of ["tmp", "new", "cur"]) {
        const s = path.join(d, sub);
        if (!fs.existsSync(s)) {
          fs.mkdirSync(s, { mode: 0o700 });
          fs.chownSync(s, mailUser.uid, mailUser.gid);
        }
      }
      const name = `${Date.now()}.M${Math.floor(Math.random() * 1e9)}P${process.pid}.sbtest`;
      const tmp = path.join(d, "tmp", name);
      fs.writeFileSync(tmp, raw, { mode: 0o600 });
      fs.chownSync(tmp, mailUser.uid, mailUser.gid);
      fs.renameSync(tmp, path.join(d, "new", name));
    },
    async list(user, folder = "INBOX") {
      const client = await connect(user);
      try {
        const exists = (await client.list()).some((m) => m.path === folder);
        if (!exists) return [];
        const lock = await client.getMailboxLock(folder, { readOnly: true });
        try {
          const out: ListedMessage[] = [];
          if ((client.mailbox && client.mailbox.exists) === 0) return out;
          for await (const m of client.fetch("1:*", { uid: true, flags: true, envelope: true })) {
            out.push({ uid: m.uid, flags: [...(m.flags ?? [])].filter((f) => f !== "\\Recent").sort(), subject: m.envelope?.subject ?? "" });
          }
          return out.sort((a, b) => a.uid - b.uid);
        } finally {
          lock.release();
        }
      } finally {
        await client.logout().catch(() => undefined);
      }
    },
    stop,
    async start() {
      if (child) return;
      await launch();
    },
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: readLog,
    async waitFor(what, fn, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n--- dovecot log ${logPath} ---\n${readLog(20)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return server;
}
