import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { downloadUrl } from "@/lib/files/uploads/download";

export const dynamic = "force-dynamic";

const DownloadQuery = z.strictObject({ inline: z.enum(["1", "0"]).optional().describe("1: show images in the page instead of downloading") });

/**
 * GET /api/uploads/{id}/download?inline=1 → 302 to a presigned GET of the stored file, valid 5 min, for
 * callers who may see the upload (owner, agents, requesters of the attachment's ticket).
 * Errors: 401, 404, 409 (the file was not checked yet or failed its check).
 */
export const GET = route<{ id: string }, typeof DownloadQuery>({ auth: "signed-in", scope: "tickets:read", query: DownloadQuery }, async ({ params, query, principal }) => {
  const url = await downloadUrl(await getDb(), principal!, params.id, { inline: query.inline === "1" });
  return NextResponse.redirect(url, { status: 302, headers: { "Cache-Control": "private, no-store" } });
});
