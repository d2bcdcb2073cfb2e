import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "@/db/pglite-folder";
import { dataDir, env } from "@/lib/env";

const globalForSecret = globalThis as unknown as { __switchboardAuthSecret?: string };

/**
 * The secret that signs/encrypts session JWTs. `NEXTAUTH_SECRET` when set; otherwise a
 * random 32-byte secret generated once and kept in `DATA_DIR/auth-secret` (mode 0600, in the
 * 0700 DATA_DIR), so
 * the embedded-default start works with no configuration and sessions survive restarts.
 */
export function authSecret(): string {
  if (globalForSecret.__switchboardAuthSecret) return globalForSecret.__switchboardAuthSecret;
  let secret = env().NEXTAUTH_SECRET;
  if (!secret) {
    const dir = dataDir();
    if (dir === "memory://") {
      secret = crypto.randomBytes(32).toString("base64url");
    } else {
      const file = path.join(dir, "auth-secret");
      try {
        secret = fs.readFileSync(file, "utf8").trim();
        if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600); // older installs
      } catch {
        ensurePrivateDir(dir);
        secret = crypto.randomBytes(32).toString("base64url");
        try {
          fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
        } catch {
          secret = fs.readFileSync(file, "utf8").trim(); // another process won the race
        }
      }
    }
  }
  process.env.NEXTAUTH_SECRET ??= secret; // next-auth's own helpers read it from env
  globalForSecret.__switchboardAuthSecret = secret;
  return secret;
}
