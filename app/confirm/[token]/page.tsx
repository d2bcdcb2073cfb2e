import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { inspectConfirmation } from "@/lib/tickets/requester-confirmation";
import { confirmRequesterAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your ticket", robots: { index: false } };
export const dynamic = "force-dynamic";

/**
 * /confirm/[token] — the link e-mailed to the claimed requester of a ticket filed while signed
 * out. Opening it only shows the ticket key and a button: confirming is a POST (a server
 * action), so mail scanners that prefetch links cannot confirm on the requester's behalf.
 */
export default async function ConfirmPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const s = await inspectConfirmation(await getDb(), token);
  return (
    <div className="mx-auto mt-6 max-w-md space-y-4" data-testid="confirm-page" data-state={s.state}>
      <h1 className="text-xl font-semibold tracking-tight">Confirm your ticket</h1>
      {s.state === "pending" ? (
        <>
          <p className="text-sm text-slate-700">
            Someone filed ticket <strong className="font-mono">{s.ticketKey}</strong> with your e-mail address{" "}
            <strong>{s.email}</strong> while signed out. If it was you, confirm it: it then shows in your requests and
            we reply to you about it. If it was not you, ignore this page.
          </p>
          <form action={confirmRequesterAction}>
            <input type="hidden" name="token" value={token} />
            <Button type="submit">Yes, this is my ticket</Button>
          </form>
        </>
      ) : s.state === "confirmed" ? (
        <Alert tone="success" title={`Ticket ${s.ticketKey} is confirmed`} live>
          Sign in as {s.email} to follow it in <Link href="/requests" className="underline">your requests</Link>.
        </Alert>
      ) : s.state === "expired" ? (
        <Alert tone="warning" title="This link has expired">
          Confirmation links work for 7 days. The service desk still has ticket {s.ticketKey}; reply to its e-mail or
          file a new ticket while signed in.
        </Alert>
      ) : (
        <Alert tone="error" title="This confirmation link is not valid">
          Check that you opened the whole link from the e-mail.
        </Alert>
      )}
    </div>
  );
}
