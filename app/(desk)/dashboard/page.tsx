import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/components/auth/guards";
import { Dashboard } from "@/components/dashboard/dashboard";
import { getReferenceData } from "@/lib/reference/cache";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  await requireStaff("/dashboard");
  const ref = await getReferenceData(await getDb());
  return (
    <Dashboard
      categoryNames={Object.fromEntries(ref.categories.map((c) => [c.slug, c.name]))}
      teamNames={Object.fromEntries(ref.teams.map((t) => [t.slug, t.name]))}
    />
  );
}
