import { redirect } from "next/navigation";
import { requireAdmin } from "@/components/auth/guards";

export const dynamic = "force-dynamic";

/** /admin → its first page (after the same access check). */
export default async function AdminPage() {
  await requireAdmin("/admin");
  redirect("/admin/categories");
}
