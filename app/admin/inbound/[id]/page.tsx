import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { ActionButton } from "@/components/mail/action-button";
import { DetailHeading, InboundStatusBadge, TicketLink } from "@/components/mail/parts";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatAbsolute } from "@/components/ui/time";
import { ApiError } from "@/lib/http/errors";
import { getInbound, REPLAYABLE_INBOUND, type InboundDetailDTO } from "@/lib/mail/admin/inbound";
import { parseRowId } from "@/lib/mail/admin/outbox";
import { replayInboundAction } from "../actions";

export const metadata: Metadata = { title: "Inbound message" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(raw: string): Promise<InboundDetailDTO> {
  try {
    return await getInbound(await getDb(), parseRowId(raw, "Inbound message"));
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  }
}

const kb = (n: number) => (n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB`);

/** One inbound message: headers, the extracted text (HTML only ever as converted text), attachments, raw download, Replay. */
export default async function InboundMessagePage({ params }: Props) {
  const { id } = await params;
  await requireAdmin(`/admin/inbound/${encodeURIComponent(id)}`);
  const m = await load(id);

  return (
    <div className="space-y-5">
      <DetailHeading listHref="/admin/inbound" listLabel="Inbound mail" item={`message ${m.id}`} />
      <AdminNav current="inbound" />

      <Card className="space-y-4 p-4" aria-labelledby="msg-h">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="msg-h" className="break-words text-lg font-semibold text-slate-900">
              {m.subject || "(no subject)"}
            </h2>
            <p className="text-sm text-slate-700">
              From {m.from ?? "an unknown sender"} · received {formatAbsolute(m.receivedAt)} via {m.source} · {kb(m.sizeBytes)}
              {m.ticketKey ? <> · <TicketLink ticketKey={m.ticketKey} /></> : null}
            </p>
          </div>
          <div className="flex flex-wrap items-start gap-3">
            <InboundStatusBadge status={m.status} />
            <a href={`/api/admin/inbound/${m.id}/raw`} download={`inbound-${m.id}.eml`} className={buttonClass("secondary", "sm")} data-testid="raw-download">
              Download .eml
            </a>
            {REPLAYABLE_INBOUND.includes(m.status) ? <ActionButton label="Replay" busyLabel="Replaying…" action={replayInboundAction.bind(null, m.id)} testId="replay-button" /> : null}
          </div>
        </div>
        {m.error ? (
          <Alert tone="error" title="Error">
            <span className="break-words font-mono text-xs">{m.error}</span>
          </Alert>
        ) : m.reason ? (
          <Alert tone="info" title="Reason">
            {m.reason}
          </Alert>
        ) : null}
        {m.parseError ? <Alert tone="error" title="The raw message could not be parsed">{m.parseError}</Alert> : null}

        <section aria-labelledby="headers-h">
          <h3 id="headers-h" className="text-sm font-semibold text-slate-900">
            Headers
          </h3>
          <dl className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]" data-testid="inbound-headers">
            {m.headers.map((h) => (
              <div key={h.name} className="contents">
                <dt className="font-medium text-slate-700">{h.name}</dt>
                <dd className="break-all font-mono text-xs text-slate-900">{h.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      </Card>

      <Card className="min-w-0 p-4" aria-labelledby="text-h">
        <h3 id="text-h" className="text-sm font-semibold text-slate-900">
          Text{m.textFromHtml ? " (converted from the HTML part; HTML is never shown as HTML)" : ""}
        </h3>
        {m.text !== null ? (
          <pre className="mt-2 max-h-[40rem] overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-900" data-testid="inbound-text" tabIndex={0}>
            {m.text}
          </pre>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No text could be extracted; download the raw message to inspect it.</p>
        )}
        {m.attachments.length ? (
          <>
            <h3 className="mt-4 text-sm font-semibold text-slate-900">Attachments</h3>
            <ul className="mt-1 list-inside list-disc text-sm text-slate-800">
              {m.attachments.map((a, i) => (
                <li key={i}>
                  {a.filename ?? "(unnamed)"} <span className="text-slate-600">({a.contentType}, {kb(a.sizeBytes)})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Card>
    </div>
  );
}
