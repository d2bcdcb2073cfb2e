import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { signInUrl } from "@/components/auth/guards";
import { SubmitTicketForm } from "@/components/tickets/submit-ticket-form";
import { currentPrincipal } from "@/lib/auth/session";
import { publicSubmissionsEnabled } from "@/lib/env";
import { getReferenceData } from "@/lib/reference/cache";
import { submitTicketAction, suggestTriageAction } from "./actions";

export const metadata: Metadata = { title: "Submit a ticket" };
export const dynamic = "force-dynamic";

export default async function SubmitPage() {
  const principal = await currentPrincipal();
  if (!principal && !publicSubmissionsEnabled()) redirect(signInUrl("/submit"));
  const ref = await getReferenceData(await getDb());

  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-xl font-semibold tracking-tight">Submit a ticket</h1>
      <p className="mt-1 text-sm text-slate-600">
        Describe the problem in your own words. We suggest a category, priority and team as you write; you can change them
        before sending.
      </p>
      <div className="mt-5">
        <SubmitTicketForm
          submitAction={submitTicketAction}
          suggestAction={suggestTriageAction}
          signedInEmail={principal?.email ?? null}
          categories={ref.categories.filter((c) => c.active).map((c) => ({ slug: c.slug, name: c.name, teamSlug: c.teamSlug }))}
          teams={ref.teams.map((t) => ({ slug: t.slug, name: t.name }))}
          modules={ref.modules}
          projects={ref.projects}
        />
      </div>
    </div>
  );
}
