import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { pathWithQuery, signInUrl } from "@/components/auth/guards";
import type { FindingSource } from "@/components/tickets/submit-form-state";
import { SubmitWithDepartment } from "@/components/employees/department-select";
import type { Principal } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";
import { publicSubmissionsEnabled } from "@/lib/env";
import { findingTicketDraft } from "@/lib/files/uploads/finding-ticket";
import { ApiError } from "@/lib/http/errors";
import { logger } from "@/lib/observability/logger";
import { getReferenceData } from "@/lib/reference/cache";
import { listDepartments } from "@/lib/routing/employees/service";
import { submitTicketAction, suggestTriageAction } from "./actions";

export const metadata: Metadata = { title: "Submit a ticket" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
type Draft = { title: string; description: string; source: FindingSource } | { warning: string } | null;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * `?upload=<uuid>&finding=<seq>`: a ticket draft about one finding of a sheet the caller may
 * see (lib/files/uploads/finding-ticket.ts). Anything that does not resolve (bad id, not
 * visible, no such finding, signed out) gives a warning and an ordinary empty form, never a 500.
 */
async function loadDraft(principal: Principal | null, sp: SearchParams): Promise<Draft> {
  const upload = one(sp.upload);
  const finding = one(sp.finding);
  if (upload === undefined && finding === undefined) return null;
  const warning = "The finding to file a ticket about could not be loaded, so the form starts empty.";
  if (!principal || !upload || !finding || !/^\d{1,9}$/.test(finding)) return { warning };
  try {
    const d = await findingTicketDraft(await getDb(), principal, upload, Number(finding));
    return { title: d.title, description: d.description, source: { uploadId: d.metadata.upload.id, finding: d.metadata.upload.finding, filename: d.metadata.upload.filename } };
  } catch (err) {
    if (!(err instanceof ApiError)) logger.error({ err, upload, finding }, "finding draft for /submit failed");
    return { warning };
  }
}

export default async function SubmitPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const principal = await currentPrincipal();
  if (!principal && !publicSubmissionsEnabled()) redirect(signInUrl(pathWithQuery("/submit", sp)));
  const db = await getDb();
  const [ref, draft, departments] = await Promise.all([getReferenceData(db), loadDraft(principal, sp), listDepartments(db)]);
  const found = draft && "source" in draft ? draft : null;

  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-xl font-semibold tracking-tight">Submit a ticket</h1>
      <p className="mt-1 text-sm text-slate-600">
        Describe the problem in your own words. We suggest a category, priority and team as you write; you can change them
        before sending.
      </p>
      {draft && "warning" in draft ? (
        <p className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="draft-warning">
          {draft.warning}
        </p>
      ) : null}
      <div className="mt-5">
        <SubmitWithDepartment
          departments={departments}
          submitAction={submitTicketAction}
          suggestAction={suggestTriageAction}
          signedInEmail={principal?.email ?? null}
          canAttach={!!principal}
          signInHref={signInUrl(pathWithQuery("/submit", sp))}
          initial={found ? { title: found.title, description: found.description } : null}
          source={found?.source ?? null}
          categories={ref.categories.filter((c) => c.active).map((c) => ({ slug: c.slug, name: c.name, teamSlug: c.teamSlug }))}
          teams={ref.teams.map((t) => ({ slug: t.slug, name: t.name }))}
          modules={ref.modules}
          projects={ref.projects}
        />
      </div>
    </div>
  );
}
