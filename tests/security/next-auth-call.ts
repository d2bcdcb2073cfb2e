import { withRequestScope } from "./next-request-scope"; // first: sets up Next's request storage
import { NextRequest } from "next/server";
import * as nextAuthRoute from "@/app/api/auth/[...nextauth]/route";

/* Calling next-auth's route handler in-process, as the server does. Import this module FIRST. */

export const NEXT_AUTH_BASE = "http://localhost:3000";

export interface NextAuthCall {
  cookie?: string;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** A raw body with its content type (instead of `form`). */
  raw?: { body: string | Uint8Array; type?: string };
  /** Query string without "?". */
  query?: string;
}

/** Call next-auth's handler for /api/auth/<segments> inside a Next request scope. */
export async function nextAuth(method: "GET" | "POST", segments: string[], opts: NextAuthCall = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | Uint8Array | undefined;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.raw) {
    if (opts.raw.type !== undefined) headers["content-type"] = opts.raw.type;
    body = opts.raw.body;
  }
  const path = `/api/auth/${segments.map(encodeURIComponent).join("/")}${opts.query ? `?${opts.query}` : ""}`;
  const req = new NextRequest(new URL(path, NEXT_AUTH_BASE), { method, headers, body: body as BodyInit | undefined });
  const handler = method === "GET" ? nextAuthRoute.GET : nextAuthRoute.POST;
  return withRequestScope(req, "/api/auth/[...nextauth]", () => handler(req, { params: Promise.resolve({ nextauth: segments }) }));
}

/** name=value of every Set-Cookie (value "" when the cookie is being cleared). */
export function setCookies(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
