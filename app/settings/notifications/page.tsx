import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireSignedIn } from "@/components/auth/guards";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { getMyPreferences } from "@/lib/mail/admin/my-preferences";
import { PreferencesForm } from "./preferences-form";

export const metadata: Metadata = { title: "Mail settings" };
export const dynamic = "force-dynamic";

/** /settings/notifications — every signed-in person (requesters too) switches each optional kind of mail on or off. */
export default async function NotificationSettingsPage() {
  const principal = await requireSignedIn("/settings/notifications");
  if (!principal.email) {
    return <Alert tone="warning">This session has no e-mail address, so there are no mail settings to show.</Alert>;
  }
  const prefs = await getMyPreferences(await getDb(), principal);
  return (
    <div className="mx-auto max-w-2xl space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Mail settings</h1>
        <p className="text-sm text-slate-600">
          Which mails Switchboard sends to <span className="font-medium text-slate-800">{prefs.email}</span>. Mails that answer something you did (confirmation links,
          bounces, invitations) always arrive.
        </p>
      </div>
      <Card className="p-4" as="div">
        <PreferencesForm initial={prefs.kinds} />
      </Card>
    </div>
  );
}
