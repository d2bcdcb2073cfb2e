import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/http/openapi";

/**
 * GET /api/openapi.json — the OpenAPI 3.1 document (public, not rate limited), generated from
 * every route file's route() config through lib/http/route-registry.generated.ts. Rendered for
 * people at /docs.
 */
export function GET(): Response {
  return NextResponse.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=60" } });
}
