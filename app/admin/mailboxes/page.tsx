import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { HeadRow } from "@/components/mail/parts";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { RelativeTime } from "@/components/ui/time";
import { envMailbox, listMailboxes } from "@/lib/mail/admin/mailboxes";
import { createMailboxAction } from "./actions";
import { MailboxForm } from "./mailbox-form";

export const metadata: Metadata = { title: "Mailboxes" };
export const dynamic = "force-dynamic";

const ACTION_LABEL = { flag: "Mark seen", move: "Move" } as const;

export default async function AdminMailboxesPage() {
  const principal = await requireAdmin("/admin/mailboxes");
  const items = await listMailboxes(await getDb(), principal);
  const env = envMailbox();
  const now = Date.now();

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">Mailboxes: the IMAP mailboxes Switchboard reads new tickets and replies from.</p>
      </div>
      <AdminNav current="mailboxes" />

      <div className="grid grid-cols-1 items-start gap-5 xl:grid-cols-5">
        <Card className="min-w-0 overflow-hidden xl:col-span-3" aria-labelledby="mailboxes-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="mailboxes-h" className="text-base font-semibold text-slate-900">
              Mailboxes
            </h2>
            <p className="text-sm text-slate-600">Passwords are stored encrypted and never shown.</p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="mailbox-table">
              <caption className="sr-only">IMAP mailboxes with host, user, folder, action after processing, state, last poll and last error</caption>
              <HeadRow labels={["Name", "Host", "User", "Folder", "After processing", "State", "Last polled", "Last error"]} />
              <tbody className="divide-y divide-slate-200">
                {env ? (
                  <tr className="bg-slate-50 align-top" data-testid="mailbox-env">
                    <th scope="row" className="px-3 py-2.5 text-left font-medium text-slate-900">
                      from IMAP_URL <span className="block text-xs font-normal text-slate-600">read-only; change it in the environment</span>
                    </th>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">
                      {env.host}:{env.port}
                    </td>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">{env.username || "—"}</td>
                    <td className="px-3 py-2.5 text-slate-800">{env.folder}</td>
                    <td className="px-3 py-2.5 text-slate-800">
                      {ACTION_LABEL[env.processedAction]}
                      {env.moveTo ? ` → ${env.moveTo}` : ""}
                    </td>
                    <td className="px-3 py-2.5 text-slate-800">Active</td>
                    <td className="px-3 py-2.5 text-slate-600">—</td>
                    <td className="px-3 py-2.5 text-slate-600">—</td>
                  </tr>
                ) : null}
                {items.length === 0 && !env ? (
                  <tr>
                    <td colSpan={8} className="px-3 py-4 text-slate-600">
                      No mailboxes: IMAP_URL is not set and none were added. Mail can still arrive through POST /api/inbound/email.
                    </td>
                  </tr>
                ) : null}
                {items.map((m) => (
                  <tr key={m.id} className={cx("align-top", !m.active && "bg-slate-50")} data-testid={`mailbox-row-${m.name}`}>
                    <th scope="row" className="px-3 py-2.5 text-left font-normal">
                      <Link href={`/admin/mailboxes/${m.id}`} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
                        {m.name}
                      </Link>
                    </th>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">
                      {m.host}:{m.port}
                    </td>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">{m.username}</td>
                    <td className="px-3 py-2.5 text-slate-800">{m.folder}</td>
                    <td className="px-3 py-2.5 text-slate-800">
                      {ACTION_LABEL[m.processedAction]}
                      {m.moveTo ? ` → ${m.moveTo}` : ""}
                    </td>
                    <td className="px-3 py-2.5 text-slate-800">{m.active ? "Active" : "Inactive"}</td>
                    <td className="px-3 py-2.5 text-slate-800">{m.lastPolledAt ? <RelativeTime iso={m.lastPolledAt} now={now} /> : "Never"}</td>
                    <td className="max-w-xs break-words px-3 py-2.5 text-slate-800">{m.lastError ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>

        <Card className="min-w-0 p-4 xl:col-span-2" aria-labelledby="new-mailbox-h">
          <h2 id="new-mailbox-h" className="mb-3 text-base font-semibold text-slate-900">
            Add a mailbox
          </h2>
          <MailboxForm action={createMailboxAction} submitLabel="Add mailbox" />
        </Card>
      </div>
    </div>
  );
}
