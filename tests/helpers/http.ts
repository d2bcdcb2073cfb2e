import { NextRequest } from "next/server";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  /** Path with query, e.g. /api/tickets?status=open */
  path: string;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string | Uint8Array;
  key?: string;
  cookie?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Call a route handler in-process with a real NextRequest (same code path as the server:
 * auth, body limits, zod parsing, error mapping).
 */
export async function call<T = any>(handler: Handler, o: CallOptions): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  if (o.cookie) headers.cookie = o.cookie;
  let body: BodyInit | undefined;
  if (o.raw !== undefined) body = o.raw as BodyInit;
  else if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = "application/json";
  }
  const req = new NextRequest(new URL(o.path, "http://localhost:3000"), {
    method: o.method ?? (body !== undefined ? "POST" : "GET"),
    headers,
    body,
  });
  const res = await handler(req, { params: Promise.resolve(o.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}
