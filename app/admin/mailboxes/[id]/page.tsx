import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { DetailHeading } from "@/components/mail/parts";
import { Card } from "@/components/ui/card";
import { ApiError } from "@/lib/http/errors";
import { getMailbox, type MailboxDTO } from "@/lib/mail/admin/mailboxes";
import type { Principal } from "@/lib/auth/principal";
import { deleteMailboxAction, updateMailboxAction } from "../actions";
import { DeleteMailboxButton, MailboxForm } from "../mailbox-form";

export const metadata: Metadata = { title: "Mailbox" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(id: string, principal: Principal): Promise<MailboxDTO> {
  try {
    return await getMailbox(await getDb(), id, principal);
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
}

/** Edit or delete one mailbox. */
export default async function MailboxPage({ params }: Props) {
  const { id } = await params;
  const principal = await requireAdmin(`/admin/mailboxes/${encodeURIComponent(id)}`);
  const m = await load(id, principal);
  return (
    <div className="space-y-5">
      <DetailHeading listHref="/admin/mailboxes" listLabel="Mailboxes" item={m.name} />
      <AdminNav current="mailboxes" />
      <div className="grid grid-cols-1 items-start gap-5 lg:grid-cols-3">
        <Card className="p-4 lg:col-span-2" aria-labelledby="edit-h">
          <h2 id="edit-h" className="mb-3 text-base font-semibold text-slate-900">
            Edit {m.name}
          </h2>
          <MailboxForm action={updateMailboxAction.bind(null, m.id)} mailbox={m} submitLabel="Save mailbox" />
        </Card>
        <Card className="space-y-3 p-4" aria-labelledby="delete-h">
          <h2 id="delete-h" className="text-base font-semibold text-slate-900">
            Delete
          </h2>
          <p className="text-sm text-slate-700">Switchboard stops reading this mailbox. Messages already received stay in Inbound mail.</p>
          <DeleteMailboxButton action={deleteMailboxAction.bind(null, m.id)} name={m.name} />
        </Card>
      </div>
    </div>
  );
}
