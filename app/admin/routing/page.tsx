import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { RetryPushButton } from "@/components/routing/retry-push-button";
import { TargetForm } from "@/components/routing/target-form";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/time";
import { getReferenceData } from "@/lib/reference/cache";
import { listDeadPushes } from "@/lib/routing/push/retry";
import { urlHost } from "@/lib/routing/targets/dto";
import { listTargets } from "@/lib/routing/targets/service";
import { createTargetAction, retryPushAction } from "./actions";

export const metadata: Metadata = { title: "Team mappings" };
export const dynamic = "force-dynamic";

const KIND_LABEL = { jira: "Jira", freshservice: "Freshservice", slack: "Slack", webhook: "Webhook" } as const;
const DEAD_PAGE = 25;

type Props = { searchParams: Promise<{ before?: string | string[] }> };

export default async function AdminRoutingPage({ searchParams }: Props) {
  const principal = await requireAdmin("/admin/routing");
  const db = await getDb();
  const beforeParam = (await searchParams).before;
  const before = typeof beforeParam === "string" && /^[1-9][0-9]{0,15}$/.test(beforeParam) ? Number(beforeParam) : undefined;
  const [ref, targets, deadRows] = await Promise.all([getReferenceData(db), listTargets(db, principal), listDeadPushes(db, { limit: DEAD_PAGE + 1, before })]);
  const dead = deadRows.slice(0, DEAD_PAGE);
  const nextBefore = deadRows.length > DEAD_PAGE ? dead[dead.length - 1].id : null;
  const teamName = Object.fromEntries(ref.teams.map((t) => [t.slug, t.name]));
  const now = Date.now();

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Routing: the external systems each team&apos;s tickets are pushed to, and pushes that failed.</p>
      </div>
      <AdminNav current="routing" />

      <div className="grid grid-cols-1 items-start gap-5 xl:grid-cols-5">
        <Card className="min-w-0 overflow-hidden xl:col-span-3" aria-labelledby="targets-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="targets-h" className="text-base font-semibold text-slate-900">
              Team mappings
            </h2>
            <p className="text-sm text-slate-600">
              {targets.length} {targets.length === 1 ? "mapping" : "mappings"}. A ticket landing on a team is pushed to each of its active mappings when its priority is at
              or above the threshold. Secrets and header values are stored encrypted and never shown.
            </p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="target-table">
              <caption className="sr-only">Team mappings with their system, host, threshold, state, headers and whether a secret is set</caption>
              <HeadRow labels={["Team", "Name", "System", "Host", "Threshold", "State", "Headers", "Secret"]} />
              <tbody className="divide-y divide-slate-200">
                {targets.length === 0 ? (
                  <tr>
                    <td colSpan={8} className="px-3 py-4 text-slate-600">
                      No mappings yet: tickets stay in Switchboard only.
                    </td>
                  </tr>
                ) : (
                  targets.map((t) => (
                    <tr key={t.id} className={cx("align-top", !t.active && "bg-slate-50")} data-testid={`target-row-${t.name}`}>
                      <td className="px-3 py-2.5 text-slate-800">{teamName[t.team] ?? t.team}</td>
                      <th scope="row" className="px-3 py-2.5 text-left font-normal">
                        <Link href={`/admin/routing/${t.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                          {t.name}
                        </Link>
                      </th>
                      <td className="px-3 py-2.5 text-slate-800">{KIND_LABEL[t.kind]}</td>
                      <td className="px-3 py-2.5 font-mono text-xs text-slate-700">{urlHost(t.url)}</td>
                      <td className="px-3 py-2.5 text-slate-800">{t.priorityThreshold === "P4" ? "All" : `${t.priorityThreshold}+`}</td>
                      <td className="px-3 py-2.5 text-slate-800">{t.active ? "Active" : "Inactive"}</td>
                      <td className="px-3 py-2.5 font-mono text-xs text-slate-700">{t.headerNames.length ? t.headerNames.join(", ") : <span className="font-sans text-slate-600">None</span>}</td>
                      <td className="px-3 py-2.5 text-slate-800">{t.hasSecret ? "Set" : "Not set"}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </Card>

        <Card className="min-w-0 p-4 xl:col-span-2" as="div">
          <TargetForm teams={ref.teams.map((t) => ({ slug: t.slug, name: t.name }))} action={createTargetAction} submitLabel="Create mapping" />
        </Card>
      </div>

      <Card className="min-w-0 overflow-hidden" aria-labelledby="dead-h">
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 id="dead-h" className="text-base font-semibold text-slate-900">
            Failed pushes (dead letters)
          </h2>
          <p className="text-sm text-slate-600">
            Pushes that used up their retries, or that the system refused (a 4xx other than 408 and 429). Fix the cause (URL, token, field mapping), then retry.
          </p>
        </div>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="dead-letter-table">
            <caption className="sr-only">Failed pushes with their ticket, target, attempts, last error and a retry button</caption>
            <HeadRow labels={["Ticket", "Target", "Action", "Attempts", "Last error", "Last attempt", "Retry"]} />
            <tbody className="divide-y divide-slate-200">
              {dead.length === 0 ? (
                <tr>
                  <td colSpan={7} className="px-3 py-4 text-slate-600" data-testid="dead-letter-empty">
                    No failed pushes.
                  </td>
                </tr>
              ) : (
                dead.map((p) => (
                  <tr key={p.id} className="align-top" data-testid={`dead-push-${p.id}`}>
                    <th scope="row" className="px-3 py-2.5 text-left font-normal">
                      <Link href={`/tickets/${p.ticketKey}`} className="font-mono font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                        {p.ticketKey}
                      </Link>
                    </th>
                    <td className="px-3 py-2.5 text-slate-800">
                      {p.targetName} <span className="text-xs text-slate-600">({KIND_LABEL[p.kind]})</span>
                    </td>
                    <td className="px-3 py-2.5 text-slate-800">{p.action}</td>
                    <td className="px-3 py-2.5 text-slate-800">{p.attempts}</td>
                    <td className="max-w-md px-3 py-2.5 text-slate-800">
                      {p.lastStatusCode !== null ? <span className="font-mono text-xs">HTTP {p.lastStatusCode} </span> : null}
                      <span className="break-words">{p.lastError ?? "—"}</span>
                    </td>
                    <td className="px-3 py-2.5 text-slate-800">{p.lastAttemptAt ? <RelativeTime iso={p.lastAttemptAt} now={now} /> : "Never ran"}</td>
                    <td className="px-3 py-2.5">
                      <RetryPushButton label={`Retry push of ${p.ticketKey} to ${p.targetName}`} action={retryPushAction.bind(null, p.id)} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        {before !== undefined || nextBefore !== null ? (
          <nav aria-label="Failed pushes pages" className="flex gap-3 border-t border-slate-200 px-4 py-2 text-sm">
            {before !== undefined ? (
              <Link href="/admin/routing" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
                Newest
              </Link>
            ) : null}
            {nextBefore !== null ? (
              <Link href={`/admin/routing?before=${nextBefore}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
                Older
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}

/** A table's column headings. */
function HeadRow({ labels }: { labels: string[] }) {
  return (
    <thead className="bg-slate-50 text-xs text-slate-700">
      <tr>
        {labels.map((h) => (
          <th key={h} scope="col" className="px-3 py-2 font-semibold">
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
