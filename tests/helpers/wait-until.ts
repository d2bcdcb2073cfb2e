/**
 * Poll `fn` every `intervalMs` (default 250 ms) until it returns a truthy value, and return it.
 * @throws Error "timed out waiting for <what>" after `timeoutMs`.
 */
export async function waitUntil<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
