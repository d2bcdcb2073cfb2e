import bcrypt from "bcryptjs";

/** bcrypt cost factor (2^10 rounds, ~60 ms per hash on this class of machine). */
const COST = 10;

/** Hash a password with bcrypt. @returns the 60-character bcrypt hash. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

/** Constant-time check of a password against a bcrypt hash. */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
