import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { SetupForm } from "@/components/auth/setup-form";
import { isValidSetupToken } from "@/lib/auth/setup";
import { createFirstAdminAction } from "./actions";

export const metadata: Metadata = { title: "First-run setup", robots: { index: false } };
export const dynamic = "force-dynamic";

/**
 * /setup?token=… — create the first admin of a fresh install. Exists only while no admin exists
 * and only for the one-time token printed in the server log; anything else is a 404.
 */
export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const token = typeof sp.token === "string" ? sp.token : null;
  if (!(await isValidSetupToken(await getDb(), token))) notFound();
  return (
    <div className="mx-auto mt-6 max-w-sm">
      <h1 className="text-xl font-semibold tracking-tight">Create the first admin</h1>
      <p className="mt-1 text-sm text-slate-600">This page works once: after the admin exists it is gone. Use a password of at least 12 characters.</p>
      <div className="mt-5 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <SetupForm token={token ?? ""} action={createFirstAdminAction} />
      </div>
    </div>
  );
}
