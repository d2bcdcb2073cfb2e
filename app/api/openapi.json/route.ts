import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/http/openapi";

/** GET /api/openapi.json — the OpenAPI 3.1 document (public). */
export function GET(): Response {
  return NextResponse.json(openApiDocument());
}
