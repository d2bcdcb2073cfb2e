import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { Card } from "@/components/ui/card";
import { controlClass, Label } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { listPeople, listTeamOptions } from "@/lib/users/admin/people";
import { ListPeopleQuerySchema, PERSON_STATUSES } from "@/lib/users/admin/schemas";
import { InviteForm } from "./people-forms";

export const metadata: Metadata = { title: "People" };
export const dynamic = "force-dynamic";

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const STATUS_TONE = { active: "text-emerald-800", invited: "text-sky-800", deactivated: "text-slate-500" } as const;

/** /admin/people — people with search and role/status filters, and the invite form (admins). */
export default async function AdminPeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requireAdmin("/admin/people");
  const sp = await searchParams;
  const parsed = ListPeopleQuerySchema.safeParse({ q: first(sp.q), role: first(sp.role), status: first(sp.status), offset: first(sp.offset) });
  const query = parsed.success ? parsed.data : ListPeopleQuerySchema.parse({});
  const db = await getDb();
  const [people, teams] = await Promise.all([listPeople(db, query, principal), listTeamOptions(db)]);
  const teamName = new Map(teams.map((t) => [t.slug, t.name]));

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">People: invite, change roles and teams, deactivate, send password resets.</p>
      </div>
      <AdminNav current="people" />

      <Card className="p-4" aria-labelledby="invite-h">
        <h2 id="invite-h" className="mb-3 text-base font-semibold text-slate-900">
          Invite a person
        </h2>
        <InviteForm teams={teams} />
      </Card>

      <Card className="min-w-0 overflow-hidden" aria-labelledby="people-h">
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 id="people-h" className="text-base font-semibold text-slate-900">
            People ({people.total})
          </h2>
          <form method="get" className="mt-2 flex flex-wrap items-end gap-3" aria-label="Filter people">
            <div>
              <Label htmlFor="people-q">Search</Label>
              <input id="people-q" name="q" defaultValue={query.q ?? ""} placeholder="Name or e-mail" className={controlClass} />
            </div>
            <div>
              <Label htmlFor="people-role">Role</Label>
              <select id="people-role" name="role" defaultValue={query.role ?? ""} className={controlClass}>
                <option value="">Any</option>
                <option value="requester">requester</option>
                <option value="agent">agent</option>
                <option value="admin">admin</option>
              </select>
            </div>
            <div>
              <Label htmlFor="people-status">Status</Label>
              <select id="people-status" name="status" defaultValue={query.status ?? ""} className={controlClass}>
                <option value="">Any</option>
                {PERSON_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" variant="secondary">
              Filter
            </Button>
          </form>
        </div>
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Name</th>
              <th scope="col" className="px-4 py-2">E-mail</th>
              <th scope="col" className="px-4 py-2">Role</th>
              <th scope="col" className="px-4 py-2">Team</th>
              <th scope="col" className="px-4 py-2">Status</th>
            </tr>
          </thead>
          <tbody>
            {people.items.map((p) => (
              <tr key={p.id} className="border-t border-slate-100" data-testid="person-row">
                <td className="px-4 py-2">
                  <Link href={`/admin/people/${p.id}`} className="font-medium text-brand-700 underline">
                    {p.name}
                  </Link>
                </td>
                <td className="px-4 py-2">{p.email}</td>
                <td className="px-4 py-2 capitalize">{p.role}</td>
                <td className="px-4 py-2">{p.teamSlug ? (teamName.get(p.teamSlug) ?? p.teamSlug) : "—"}</td>
                <td className={`px-4 py-2 font-medium ${STATUS_TONE[p.status]}`}>
                  {p.status}
                  {/* Active without a password: signs in by single sign-on, or has not used the set-password link of an employee invitation yet. */}
                  {p.status === "active" && !p.hasPassword ? <span className="block text-xs font-normal text-slate-600">no password set</span> : null}
                </td>
              </tr>
            ))}
            {people.items.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-600">
                  Nobody matches.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {people.total > query.offset + people.items.length ? (
          <p className="border-t border-slate-200 px-4 py-2 text-sm">
            <Link
              className="text-brand-700 underline"
              href={`/admin/people?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(query.role ? { role: query.role } : {}), ...(query.status ? { status: query.status } : {}), offset: String(query.offset + query.limit) })}`}
            >
              Next {query.limit}
            </Link>
          </p>
        ) : null}
      </Card>
    </div>
  );
}
