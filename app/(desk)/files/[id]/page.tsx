import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireStaff } from "@/components/auth/guards";
import { UploadDetail } from "@/components/files/upload-detail";
import { getRuleSet } from "@/lib/files/compliance/rule-sets";
import { getUpload } from "@/lib/files/uploads/queries";
import type { UploadDTO } from "@/lib/files/uploads/schemas";
import { ApiError } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Upload" };

/** /files/{id}: one upload's status, summary, chart, findings and downloads (agents and admins). */
export default async function UploadPage({ params }: Props) {
  const { id } = await params;
  const principal = await requireStaff(`/files/${encodeURIComponent(id)}`);
  const db = await getDb();
  let upload: UploadDTO;
  try {
    upload = await getUpload(db, principal, id);
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
  const ruleSet = upload.ruleSetId ? await getRuleSet(db, upload.ruleSetId) : null;
  return <UploadDetail initial={upload} ruleSetName={ruleSet?.name ?? null} />;
}
