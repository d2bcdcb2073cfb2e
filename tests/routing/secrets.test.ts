import crypto from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { decryptJson, decryptSecret, encryptJson, encryptSecret, resetSecretKeys, SecretDecryptError } from "@/lib/crypto/secrets";
import { resetEnvForTests } from "@/lib/env";

/*
 * Secrets at rest (lib/crypto/secrets.ts): AES-256-GCM values that name their key, with
 * ENCRYPTION_KEY listing keys (first seals, any opens). No database needed.
 */

const original = process.env.ENCRYPTION_KEY;
const keyA = crypto.randomBytes(32).toString("base64");
const keyB = crypto.randomBytes(32).toString("hex");
const keyIdOf = (key: string) =>
  crypto
    .createHash("sha256")
    .update(/^[0-9a-f]{64}$/.test(key) ? Buffer.from(key, "hex") : Buffer.from(key, "base64"))
    .digest("hex")
    .slice(0, 8);

function useKeys(value: string | undefined): void {
  if (value === undefined) delete process.env.ENCRYPTION_KEY;
  else process.env.ENCRYPTION_KEY = value;
  resetEnvForTests();
  resetSecretKeys();
}

beforeEach(() => useKeys(keyA));
afterAll(() => useKeys(original));

/** Flip one bit of a base64url part of a sealed value. */
function flip(sealed: string, part: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("secrets at rest", () => {
  it("round-trips text and JSON, with a fresh IV per value and the plaintext nowhere in the sealed form", () => {
    const token = "jira-user@example.com:ATATT3xFfGF0-very-secret";
    const a = encryptSecret(token);
    const b = encryptSecret(token);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(a.split(".")[1]).toBe(keyIdOf(keyA));
    expect(a).not.toContain("very-secret");
    expect(decryptSecret(a)).toBe(token);
    expect(decryptSecret(b)).toBe(token);
    const headers = { "X-Api-Key": "k-123", Authorization: "Bearer zzz", "X-Ünïcode": "✓" };
    expect(decryptJson(encryptJson(headers))).toEqual(headers);
    expect(decryptSecret(encryptSecret(""))).toBe("");
  });

  it("refuses an altered value: ciphertext, tag, IV or key id (SecretDecryptError, never wrong plaintext)", () => {
    const sealed = encryptSecret("signing-secret-1");
    for (const part of [2, 3, 4]) {
      expect(() => decryptSecret(flip(sealed, part))).toThrow(SecretDecryptError);
    }
    // Moving a value to another key's id fails too (the key id is authenticated data).
    useKeys(`${keyA},${keyB}`);
    const [v, , iv, tag, ct] = sealed.split(".");
    expect(() => decryptSecret([v, keyIdOf(keyB), iv, tag, ct].join("."))).toThrow(SecretDecryptError);
    expect(() => decryptSecret("not-sealed")).toThrow(SecretDecryptError);
    expect(() => decryptSecret(sealed.replace(/^v1/, "v9"))).toThrow(SecretDecryptError);
    expect(decryptSecret(sealed)).toBe("signing-secret-1");
  });

  it("rotates: a new key listed first seals, the old key listed second still opens old values", () => {
    const old = encryptSecret("sealed with A");
    useKeys(`${keyB},${keyA}`);
    expect(decryptSecret(old)).toBe("sealed with A");
    const fresh = encryptSecret("sealed with B");
    expect(fresh.split(".")[1]).toBe(keyIdOf(keyB));
    expect(decryptSecret(fresh)).toBe("sealed with B");
    // Once A is dropped, its values no longer open, and the error names the missing key id.
    useKeys(keyB);
    expect(decryptSecret(fresh)).toBe("sealed with B");
    expect(() => decryptSecret(old)).toThrow(SecretDecryptError);
    expect(() => decryptSecret(old)).toThrow(new RegExp(`no configured ENCRYPTION_KEY has id ${keyIdOf(keyA)}`));
  });

  it("fails for an unknown key id, and a malformed ENCRYPTION_KEY is an error rather than a weak key", () => {
    const sealed = encryptSecret("x");
    useKeys(keyB);
    expect(() => decryptSecret(sealed)).toThrow(SecretDecryptError);
    useKeys("too-short-but-at-least-thirty-two-characters-long!!");
    expect(() => encryptSecret("x")).toThrow(/32 bytes/);
  });

  it("without ENCRYPTION_KEY seals with a key derived from the auth secret", () => {
    const prev = process.env.NEXTAUTH_SECRET;
    process.env.NEXTAUTH_SECRET ??= crypto.randomBytes(32).toString("base64url");
    try {
      useKeys(undefined);
      const sealed = encryptSecret("derived");
      expect(sealed.split(".")[1]).not.toBe(keyIdOf(keyA));
      expect(decryptSecret(sealed)).toBe("derived");
      useKeys(keyA);
      expect(() => decryptSecret(sealed)).toThrow(SecretDecryptError);
    } finally {
      if (prev === undefined) delete process.env.NEXTAUTH_SECRET;
      else process.env.NEXTAUTH_SECRET = prev;
    }
  });
});
