import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { PRIORITIES, type WaitingReason } from "@/db/schema/enums";
import type { SlaEscalation } from "@/db/schema/sla";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { PolicyForm } from "@/components/sla-admin/policy-form";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { getReferenceData } from "@/lib/reference/cache";
import { listCalendars } from "@/lib/sla/admin/calendars";
import { listPolicies, type PolicyDTO } from "@/lib/sla/admin/policies";
import { formatTarget } from "@/lib/sla/admin/schemas";
import { createPolicyAction } from "./actions";

export const metadata: Metadata = { title: "SLA policies" };
export const dynamic = "force-dynamic";

const REASON: Record<WaitingReason, string> = { requester: "requester", third_party: "third party" };

function escalationText(e: SlaEscalation, teamName: Record<string, string>): string {
  const parts: string[] = [];
  if (e.raisePriority) parts.push("raise priority");
  if (e.reassignTo === "lead") parts.push("reassign to the team lead");
  if (e.reassignTo === "team" && e.teamSlug) parts.push(`move to ${teamName[e.teamSlug] ?? e.teamSlug}`);
  return parts.length ? parts.join("; ") : "notify only";
}

function scopeText(p: PolicyDTO, teamName: Record<string, string>, categoryName: Record<string, string>): string {
  const parts = [p.category && `category ${categoryName[p.category] ?? p.category}`, p.team && `team ${teamName[p.team] ?? p.team}`, p.orgDomain && `organisation ${p.orgDomain}`].filter(Boolean);
  return parts.length ? parts.join(", ") : "All tickets of this priority";
}

export default async function AdminSlaPage() {
  const principal = await requireAdmin("/admin/sla");
  const db = await getDb();
  const [ref, policies, calendars] = await Promise.all([getReferenceData(db), listPolicies(db, principal), listCalendars(db, principal)]);
  const teamName = Object.fromEntries(ref.teams.map((t) => [t.slug, t.name]));
  const categoryName = Object.fromEntries(ref.categories.map((c) => [c.slug, c.name]));
  const headers = ["Name", "Scope", "Calendar", "First response", "Resolution", "Next response", "Pauses while waiting for", "At risk", "On breach", "State"];

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">SLA policies: response and resolution targets per priority, counted in business time on a calendar.</p>
      </div>
      <AdminNav current="sla" />

      <Card className="min-w-0 overflow-hidden" aria-labelledby="policies-h">
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 id="policies-h" className="text-base font-semibold text-slate-900">
            Policies
          </h2>
          <div className="mt-1 space-y-1 text-sm text-slate-600" data-testid="specificity-rule">
            <p>
              Each ticket gets one policy. The active policies with the ticket&apos;s priority whose narrowing fields (category, team, requester organisation = e-mail
              domain) all match the ticket are candidates; the most specific wins: more narrowing fields first, then organisation before category before team, then
              the oldest policy.
            </p>
            <p>
              Targets are business time on the policy&apos;s calendar; a business day is 8 business hours. A changed policy applies to new tickets and to a ticket when its
              SLA is next recomputed (for example when its priority, category or team changes); running clocks keep the targets they started with until then.
            </p>
          </div>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="policy-table">
            <caption className="sr-only">SLA policies grouped by priority, with scope, calendar, targets, pause reasons and escalation</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                {headers.map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            {PRIORITIES.map((prio) => {
              const list = policies.filter((p) => p.priority === prio);
              return (
                <tbody key={prio} className="divide-y divide-slate-200 border-t border-slate-300" data-testid={`policies-${prio}`}>
                  <tr className="bg-slate-100">
                    <th scope="colgroup" colSpan={headers.length} className="px-3 py-1.5 text-left text-xs font-semibold text-slate-800">
                      {prio}
                    </th>
                  </tr>
                  {list.length === 0 ? (
                    <tr>
                      <td colSpan={headers.length} className="px-3 py-2 text-slate-600">
                        No policy: {prio} tickets get no SLA clock.
                      </td>
                    </tr>
                  ) : (
                    list.map((p) => (
                      <tr key={p.id} className={cx("align-top", !p.active && "bg-slate-50")} data-testid={`policy-row-${p.name}`}>
                        <th scope="row" className="px-3 py-2.5 text-left font-normal">
                          <Link href={`/admin/sla/${p.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                            {p.name}
                          </Link>
                        </th>
                        <td className="px-3 py-2.5 text-slate-800">{scopeText(p, teamName, categoryName)}</td>
                        <td className="px-3 py-2.5 text-slate-800">
                          <Link href={`/admin/calendars/${p.calendarId}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
                            {p.calendarName}
                          </Link>
                        </td>
                        <td className="px-3 py-2.5 text-slate-800" data-testid="first-response">
                          {formatTarget(p.firstResponseS)}
                        </td>
                        <td className="px-3 py-2.5 text-slate-800">{formatTarget(p.resolutionS)}</td>
                        <td className="px-3 py-2.5 text-slate-800">{p.nextResponseS === null ? "None" : formatTarget(p.nextResponseS)}</td>
                        <td className="px-3 py-2.5 text-slate-800">{p.pauseOn.length ? p.pauseOn.map((r) => REASON[r]).join(", ") : "Never pauses"}</td>
                        <td className="px-3 py-2.5 text-slate-800">{p.atRiskPct} %</td>
                        <td className="px-3 py-2.5 text-slate-800">{escalationText(p.escalation, teamName)}</td>
                        <td className="px-3 py-2.5 text-slate-800">{p.active ? "Active" : "Inactive"}</td>
                      </tr>
                    ))
                  )}
                </tbody>
              );
            })}
          </table>
        </div>
      </Card>

      <Card className="min-w-0 p-4" aria-labelledby="new-policy-h">
        <h2 id="new-policy-h" className="mb-3 text-base font-semibold text-slate-900">
          New policy
        </h2>
        <PolicyForm
          action={createPolicyAction}
          categories={ref.categories.map((c) => ({ value: c.slug, label: c.name }))}
          teams={ref.teams.map((t) => ({ value: t.slug, label: t.name }))}
          calendars={calendars.map((c) => ({ value: c.id, label: c.name }))}
          submitLabel="Create policy"
        />
      </Card>
    </div>
  );
}
