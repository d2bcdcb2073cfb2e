import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { Card } from "@/components/ui/card";
import { ApiError } from "@/lib/http/errors";
import { getPerson, listTeamOptions } from "@/lib/users/admin/people";
import { PersonControls } from "../people-forms";

export const metadata: Metadata = { title: "Person" };
export const dynamic = "force-dynamic";

/** /admin/people/{id} — one person: role, team, deactivate / reactivate, password reset or a new invite (admins). */
export default async function AdminPersonPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireAdmin(`/admin/people/${id}`);
  const db = await getDb();
  const person = await getPerson(db, id, principal).catch((err) => {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  });
  const teams = await listTeamOptions(db);
  const fmt = (iso: string | null) => (iso ? new Date(iso).toUTCString() : "never");

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">
          <Link href="/admin/people" className="underline">People</Link> / {person.name}
        </p>
      </div>
      <AdminNav current="people" />
      <Card className="space-y-4 p-4" aria-labelledby="person-h">
        <div>
          <h2 id="person-h" className="text-base font-semibold text-slate-900">
            {person.name}
          </h2>
          <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">E-mail</dt>
            <dd>{person.email}</dd>
            <dt className="text-slate-600">Status</dt>
            <dd data-testid="person-status">{person.status}</dd>
            <dt className="text-slate-600">Password</dt>
            <dd>{person.hasPassword ? "set" : "none"}</dd>
            {person.inviteExpiresAt ? (
              <>
                <dt className="text-slate-600">Invite link expires</dt>
                <dd>{fmt(person.inviteExpiresAt)}</dd>
              </>
            ) : null}
            <dt className="text-slate-600">Last sign-in</dt>
            <dd>{fmt(person.lastSignInAt)}</dd>
          </dl>
          <p className="mt-2 text-xs text-slate-600">A role change or deactivation signs the person out everywhere and revokes their API keys.</p>
        </div>
        <PersonControls person={person} teams={teams} />
      </Card>
    </div>
  );
}
