import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describeUnsubscribe } from "@/lib/mail/admin/unsubscribe";
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from "@/lib/mail/preferences";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false } };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/**
 * /unsubscribe?token=… — the link in every optional mail's footer. Public (no sign-in): shows
 * which mail the link switches off and a button that POSTs to /api/mail/unsubscribe (a plain
 * form, no JavaScript needed), which sends the browser back here to confirm.
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" && raw.length <= MAX_UNSUBSCRIBE_TOKEN_LENGTH ? raw : "";
  const target = token ? await describeUnsubscribe(await getDb(), token) : null;

  return (
    <div className="mx-auto max-w-lg">
      <Card className="space-y-4 p-6" aria-labelledby="unsub-h">
        <h1 id="unsub-h" className="text-xl font-semibold tracking-tight">
          Unsubscribe
        </h1>
        {!target ? (
          <Alert tone="error" title="This unsubscribe link is not valid">
            It may be cut off or altered. Open the link from the mail again, or change your mail settings after signing in.
          </Alert>
        ) : !target.enabled ? (
          <div role="status" className="space-y-2" data-testid="unsubscribed">
            <p className="text-base font-medium text-slate-900">
              You will no longer get “{target.label}” mails at {target.email}.
            </p>
            <p className="text-sm text-slate-700">Mails that answer something you did (confirmation links, bounces) still arrive.</p>
          </div>
        ) : (
          <>
            <p className="text-sm text-slate-800">
              Stop these mails to <span className="font-medium">{target.email}</span>:
            </p>
            <p className="rounded-md bg-slate-50 px-3 py-2 text-base font-medium text-slate-900">{target.label}</p>
            <form method="post" action={`/api/mail/unsubscribe?token=${encodeURIComponent(token)}`}>
              <input type="hidden" name="List-Unsubscribe" value="One-Click" />
              <input type="hidden" name="return" value="page" />
              <button type="submit" className={buttonClass("primary")}>
                Unsubscribe
              </button>
            </form>
          </>
        )}
        <p className="text-sm text-slate-700">
          <Link href="/settings/notifications" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
            Your mail settings
          </Link>{" "}
          (sign-in needed) let you switch each kind of mail on or off.
        </p>
      </Card>
    </div>
  );
}
