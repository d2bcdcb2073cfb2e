import { NextResponse, type NextRequest } from "next/server";
import { tryItUrl } from "../reference";

export const dynamic = "force-dynamic";

/**
 * GET /docs/try?_path=/api/tickets/{key}&key=T-1&… — the /docs page's "Try it" forms submit here
 * (plain HTML, no client JavaScript): 303 to the filled API URL (same origin, only paths of the
 * OpenAPI document's GET operations), which the browser then calls with its session cookie.
 * 400 with a short text when the path is unknown or a path parameter is empty.
 */
export function GET(req: NextRequest): Response {
  const values = Object.fromEntries(req.nextUrl.searchParams.entries());
  const template = values._path ?? "";
  delete values._path;
  const target = tryItUrl(template, values);
  if (!target) return new NextResponse("Unknown API path or a missing path parameter", { status: 400, headers: { "content-type": "text/plain" } });
  // A relative Location (RFC 9110): correct behind any reverse proxy, never another origin.
  return new Response(null, { status: 303, headers: { Location: target } });
}
