import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { ActionButton } from "@/components/mail/action-button";
import { DetailHeading, OutboxStatusBadge, TicketLink } from "@/components/mail/parts";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { formatAbsolute } from "@/components/ui/time";
import { ApiError } from "@/lib/http/errors";
import { getOutbox, parseRowId, type OutboxDetailDTO } from "@/lib/mail/admin/outbox";
import { smtpConfigured } from "@/lib/mail/config";
import { resendMailAction } from "../actions";

export const metadata: Metadata = { title: "Mail" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(raw: string): Promise<OutboxDetailDTO> {
  try {
    return await getOutbox(await getDb(), parseRowId(raw, "Mail"));
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
}

/** One outgoing mail: headers, last error, text part, and the HTML part in a sandboxed frame. */
export default async function OutboxMailPage({ params }: Props) {
  const { id } = await params;
  await requireAdmin(`/admin/outbox/${encodeURIComponent(id)}`);
  const m = await load(id);
  const smtp = smtpConfigured();
  const headerRows: [string, string | null][] = [
    ["To", m.to],
    ["Subject", m.subject],
    ["Message-ID", m.messageId],
    ["In-Reply-To", m.inReplyTo],
    ["References", m.references],
    ...Object.entries(m.headers),
  ];

  return (
    <div className="space-y-5">
      <DetailHeading listHref="/admin/outbox" listLabel="Outbox" item={`mail ${m.id}`} />
      <AdminNav current="outbox" />
      {!smtp ? <Alert tone="warning">Dev outbox: SMTP_URL is not set; nothing is sent.</Alert> : null}

      <Card className="space-y-4 p-4" aria-labelledby="mail-h">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="mail-h" className="break-words text-lg font-semibold text-slate-900">
              {m.subject}
            </h2>
            <p className="text-sm text-slate-700">
              {m.kindLabel} · written {formatAbsolute(m.createdAt)}
              {m.sentAt ? ` · sent ${formatAbsolute(m.sentAt)}` : ""} · {m.attempts} {m.attempts === 1 ? "attempt" : "attempts"}
              {m.ticketKey ? <> · <TicketLink ticketKey={m.ticketKey} /></> : null}
            </p>
          </div>
          <div className="flex items-start gap-3">
            <OutboxStatusBadge status={m.status} />
            {m.status === "failed" ? <ActionButton label="Resend" busyLabel="Resending…" action={resendMailAction.bind(null, m.id)} testId="resend-button" /> : null}
          </div>
        </div>
        {m.lastError ? (
          <Alert tone="error" title="Last error">
            <span className="break-words font-mono text-xs">{m.lastError}</span>
          </Alert>
        ) : null}

        <section aria-labelledby="headers-h">
          <h3 id="headers-h" className="text-sm font-semibold text-slate-900">
            Headers
          </h3>
          <dl className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]" data-testid="mail-headers">
            {headerRows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="font-medium text-slate-700">{k}</dt>
                <dd className="break-all font-mono text-xs text-slate-900">{v ?? <span className="font-sans text-slate-600">—</span>}</dd>
              </div>
            ))}
          </dl>
        </section>
      </Card>

      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <Card className="min-w-0 p-4" aria-labelledby="text-h">
          <h3 id="text-h" className="text-sm font-semibold text-slate-900">
            Text part
          </h3>
          <pre className="mt-2 max-h-[36rem] overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-900" data-testid="mail-text" tabIndex={0}>
            {m.text}
          </pre>
        </Card>
        <Card className="min-w-0 p-4" aria-labelledby="html-h">
          <h3 id="html-h" className="text-sm font-semibold text-slate-900">
            HTML part, rendered
          </h3>
          {m.hasHtml ? (
            <>
              <p className="text-xs text-slate-600">Shown in a sandbox: no scripts, no remote requests but https images.</p>
              <iframe
                src={`/api/admin/outbox/${m.id}/html`}
                sandbox=""
                title={`Rendered HTML of the mail “${m.subject}”`}
                className="mt-2 h-[36rem] w-full rounded-md border border-slate-200 bg-white"
                data-testid="mail-html-frame"
              />
            </>
          ) : (
            <p className="mt-2 text-sm text-slate-600">This mail has no HTML part.</p>
          )}
        </Card>
      </div>
    </div>
  );
}
