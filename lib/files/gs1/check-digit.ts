/**
 * The GS1 mod-10 check digit shared by GTIN, SSCC, GLN and the other numeric GS1 keys.
 *
 * Source: GS1 General Specifications, section 7.9.1 ("Standard check digit calculations for
 * GS1 data structures"): counting from the right of the data WITHOUT its check digit, the
 * digits are weighted 3, 1, 3, 1, …; the check digit is (10 − (sum mod 10)) mod 10.
 */

/**
 * The check digit (0–9) for `body`, a run of ASCII digits without the check digit; -1 when
 * `body` is empty or holds a character other than 0–9. No allocation.
 */
export function gs1CheckDigit(body: string): number {
  const n = body.length;
  if (n === 0) return -1;
  let sum = 0;
  let weight = 3;
  for (let i = n - 1; i >= 0; i--) {
    const d = body.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    sum += d * weight;
    weight = 4 - weight; // 3 → 1 → 3 …
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The check digit `digits` should end with (the mod-10 digit of all but its last character),
 * or -1 when `digits` is shorter than 2 characters or not all ASCII digits (including the last).
 * GS1 General Specifications §7.9.1.
 */
export function expectedCheckDigit(digits: string): number {
  const n = digits.length;
  if (n < 2) return -1;
  const last = digits.charCodeAt(n - 1) - 48;
  if (last < 0 || last > 9) return -1;
  return gs1CheckDigit(digits.slice(0, n - 1));
}

/** True when `digits` (all ASCII digits, at least 2) ends with its GS1 mod-10 check digit (§7.9.1). */
export function hasValidCheckDigit(digits: string): boolean {
  const expected = expectedCheckDigit(digits);
  return expected >= 0 && expected === digits.charCodeAt(digits.length - 1) - 48;
}

/** True when every character of `s` is an ASCII digit 0–9 (false for ""). No allocation. */
export function isAllDigits(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
