import Link from "next/link";
import { redirect } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { isStaff } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const principal = await currentPrincipal();
  if (isStaff(principal)) redirect("/tickets");

  return (
    <div className="mx-auto max-w-3xl py-8">
      <h1 className="text-3xl font-semibold tracking-tight text-slate-900">Get help from IT, HR and Procurement in one place</h1>
      <p className="mt-3 text-base text-slate-700">
        Describe your problem in your own words. Switchboard suggests the right category, priority and team as you type, routes
        the ticket, and keeps you posted on replies.
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link href="/submit" className={buttonClass("primary", "md")}>
          Submit a ticket
        </Link>
        {principal ? (
          <Link href="/requests" className={buttonClass("secondary", "md")}>
            My requests
          </Link>
        ) : (
          <Link href="/signin" className={buttonClass("secondary", "md")}>
            Sign in
          </Link>
        )}
      </div>
      <ul className="mt-10 grid gap-4 sm:grid-cols-3">
        {[
          ["Triage in a second", "A model trained on real tickets picks the category and team; agents confirm or correct it."],
          ["One queue for agents", "Filters, search, internal notes and a full audit trail of every change."],
          ["Numbers that are current", "First-response and resolution times, updated within seconds."],
        ].map(([title, text]) => (
          <li key={title} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
            <p className="mt-1 text-sm text-slate-700">{text}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
