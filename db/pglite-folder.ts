import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/*
 * The embedded database's folder: private file modes and a one-process lock.
 *
 * Modes: PGlite writes its initial cluster with mode 0666 (968 of ~1,000 files), whatever the
 * umask. DATA_DIR and the PGlite folder are made 0700 (so nobody else can even reach the files)
 * and every file under the folder 0600, on open and again on close.
 *
 * Lock: PGlite has no lock of its own; two processes on one folder silently lose writes or
 * corrupt it. The lock file `DATA_DIR/pglite.lock` holds `{pid, host}` and is created atomically
 * (hard link of a complete temporary file: fails when the lock exists).
 * A lock whose process is gone (same host, PID not running) is taken over, and the takeover is
 * serialised by a second atomic step (mkdir of `pglite.lock.takeover`) and re-checks the holder
 * inside it, so two processes finding the same stale lock cannot both win (the old code's race:
 * one could delete the other's fresh lock). A lock from another host (a container sharing the
 * volume) cannot be checked and is never taken over.
 */

/** Directory mode for DATA_DIR and the PGlite folder. */
export const PRIVATE_DIR_MODE = 0o700;
/** File mode for everything under the PGlite folder. */
export const PRIVATE_FILE_MODE = 0o600;

/** Create `dir` (and parents) if needed and make it 0700. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** chmod every directory under `root` to 0700 and every file to 0600 (symlinks are left alone). */
export function restrictTree(root: string): void {
  const walk = (dir: string) => {
    fs.chmodSync(dir, PRIVATE_DIR_MODE);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      try {
        if (entry.isDirectory()) walk(p);
        else if (entry.isFile()) fs.chmodSync(p, PRIVATE_FILE_MODE);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err; // removed meanwhile (temp files)
      }
    }
  };
  walk(root);
}

interface LockOwner {
  pid: number;
  host: string;
}

/** How long a process waits for another one's takeover of a stale lock to finish, in ms. */
const TAKEOVER_WAIT_MS = 5_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How old a leftover takeover marker must be before it is removed (its owner crashed mid-takeover), in ms. */
const TAKEOVER_STALE_MS = 30_000;

const globalForLocks = globalThis as unknown as { __switchboardHeldLocks?: Set<string> };
const held = (globalForLocks.__switchboardHeldLocks ??= new Set());

function readOwner(lockPath: string): LockOwner | null {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner> | number;
    if (typeof o === "number") return { pid: o, host: os.hostname() }; // old format: a bare PID
    return { pid: Number(o.pid) || 0, host: String(o.host ?? os.hostname()) };
  } catch {
    return { pid: 0, host: os.hostname() }; // unreadable: treat as stale on this host
  }
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether `owner` may still be using the folder (a live process, or one we cannot check). */
function ownerActive(owner: LockOwner, lockPath: string): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return held.has(lockPath); // PID reuse (e.g. PID 1 in a restarted container) is not us
  return isAlive(owner.pid);
}

function inUse(folder: string, owner: LockOwner): Error {
  const where = owner.host === os.hostname() ? "" : ` on host ${owner.host}`;
  return new Error(
    `The embedded database in ${folder} is in use by process ${owner.pid}${where}. ` +
      `Stop that process first (PGlite cannot be shared between processes), or set DATABASE_URL.` +
      (where ? ` If that host is gone, delete ${path.resolve(folder, "..", "pglite.lock")}.` : ""),
  );
}

/**
 * Lock the PGlite folder for this process.
 * @returns a function that releases the lock (idempotent).
 * @throws Error "… is in use by process N …" when another live process (or another host) holds it.
 */
export function lockFolder(folder: string): () => void {
  const lockPath = path.resolve(folder, "..", "pglite.lock");
  const me: LockOwner = { pid: process.pid, host: os.hostname() };
  const mine = JSON.stringify(me);
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  while (Date.now() < deadline) {
    if (createAtomically(lockPath, mine, "link")) return acquired(lockPath, mine);
    const owner = readOwner(lockPath);
    if (!owner) continue; // released meanwhile: try again
    if (ownerActive(owner, lockPath)) throw inUse(folder, owner);
    // Stale: take it over under the takeover marker, re-checking the holder inside.
    const marker = `${lockPath}.takeover`;
    try {
      fs.mkdirSync(marker, { mode: PRIVATE_DIR_MODE });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const markerTime = fs.statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
      if (markerTime !== undefined && Date.now() - markerTime > TAKEOVER_STALE_MS) fs.rmSync(marker, { recursive: true, force: true });
      // Another process is taking over right now: give it a moment, then look again (it wins).
      const now = readOwner(lockPath);
      if (now && ownerActive(now, lockPath)) throw inUse(folder, now);
      sleepSync(10);
      continue;
    }
    try {
      const again = readOwner(lockPath);
      if (again && (again.pid !== owner.pid || again.host !== owner.host)) {
        if (ownerActive(again, lockPath)) throw inUse(folder, again);
        continue; // a different stale owner: start over
      }
      createAtomically(lockPath, mine, "rename"); // replace the stale lock
      return acquired(lockPath, mine);
    } finally {
      fs.rmSync(marker, { recursive: true, force: true });
    }
  }
  throw new Error(`Could not lock ${folder}`);
}

/**
 * Write `content` to a temporary file, then put it at `target` in one atomic step, so a reader
 * never sees a half-written lock: "link" fails (false) when `target` exists, "rename" replaces it.
 */
function createAtomically(target: string, content: string, how: "link" | "rename"): boolean {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, content, { mode: PRIVATE_FILE_MODE });
  try {
    if (how === "rename") {
      fs.renameSync(tmp, target);
      return true;
    }
    fs.linkSync(tmp, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function acquired(lockPath: string, mine: string): () => void {
  held.add(lockPath);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(lockPath);
    try {
      if (fs.readFileSync(lockPath, "utf8").trim() === mine) fs.unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
}
