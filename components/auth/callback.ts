/**
 * A same-site path to return to after signing in, or null. Accepts `/…` paths (not `//host`
 * or `/\host`, which browsers read as other origins) and, when `origin` is given, absolute
 * URLs on that origin (next-auth passes those), reduced to their path.
 */
export function safeCallbackPath(raw: string | string[] | null | undefined, origin?: string): string | null {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v || v.length > 2000) return null;
  if (v.startsWith("/")) {
    if (v.startsWith("//") || v.startsWith("/\\")) return null;
    return v;
  }
  if (origin) {
    try {
      const u = new URL(v);
      if (u.origin === origin) return `${u.pathname}${u.search}${u.hash}`;
    } catch {
      return null;
    }
  }
  return null;
}
