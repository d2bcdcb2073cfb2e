import "server-only";
import crypto from "node:crypto";
import { authSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";

/*
 * Secrets at rest (push targets' tokens and header values; later mailbox passwords): AES-256-GCM
 * with a random 96-bit IV per value. The stored form is `v1.<key id>.<iv>.<tag>.<ciphertext>`
 * (base64url parts); the key id is the first 8 hex digits of SHA-256(key), so a value names the
 * key that sealed it and keys can be rotated: `ENCRYPTION_KEY` lists keys, the first seals, any
 * listed key opens. Unset, one key is derived from the auth secret with HKDF-SHA256.
 */

interface Key {
  id: string;
  bytes: Buffer;
}

/** The value could not be opened: no listed key sealed it, or it was altered. */
export class SecretDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptError";
  }
}

let cached: { source: string; keys: Key[] } | null = null;

function parseKey(text: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (bytes.length !== 32) throw new Error("ENCRYPTION_KEY: each key must be 32 bytes (base64 or 64 hex digits)");
  return bytes;
}

function keyOf(bytes: Buffer): Key {
  return { id: crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

/** The configured keys, first = the one that seals. @throws Error on a malformed ENCRYPTION_KEY. */
function keys(): Key[] {
  const configured = env().ENCRYPTION_KEY;
  const source = configured ?? `derived:${authSecret()}`;
  if (cached?.source === source) return cached.keys;
  const list = configured
    ? configured.split(",").filter((k) => k.trim()).map((k) => keyOf(parseKey(k)))
    : [keyOf(Buffer.from(crypto.hkdfSync("sha256", authSecret(), "switchboard", "secrets-at-rest v1", 32)))];
  cached = { source, keys: list };
  return list;
}

/**
 * Seal a secret for storage.
 * @returns `v1.<key id>.<iv>.<tag>.<ciphertext>` (ASCII; about 4/3 of the plaintext + 50 bytes).
 */
export function encryptSecret(plaintext: string): string {
  const key = keys()[0];
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(Buffer.from(`v1.${key.id}`));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", key.id, iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(".");
}

/**
 * Open a value sealed by {@link encryptSecret}.
 * @throws SecretDecryptError when the format is wrong, no configured key has its id, or the
 *   authentication tag does not match (altered value or wrong key).
 */
export function decryptSecret(sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== "v1") throw new SecretDecryptError("not a sealed secret");
  const [, id, iv, tag, ct] = parts;
  const key = keys().find((k) => k.id === id);
  if (!key) throw new SecretDecryptError(`no configured ENCRYPTION_KEY has id ${id}`);
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`v1.${id}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError("the sealed secret does not authenticate (altered, or sealed with another key)");
  }
}

/** Seal a JSON value (e.g. a header map). */
export function encryptJson(value: unknown): string {
  return encryptSecret(JSON.stringify(value));
}

/** Open a value sealed by {@link encryptJson}. @throws SecretDecryptError as {@link decryptSecret}. */
export function decryptJson<T>(sealed: string): T {
  return JSON.parse(decryptSecret(sealed)) as T;
}

/** Forget the cached keys (tests that change ENCRYPTION_KEY). */
export function resetSecretKeys(): void {
  cached = null;
}
