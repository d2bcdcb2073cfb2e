import Link from "next/link";
import { REVIEW_QUEUE_HREF } from "@/components/tickets/review-queue";
import type { Principal } from "@/lib/auth/principal";
import { hasRole, isStaff } from "@/lib/auth/principal";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { CommandBar } from "@/components/assistant/command-bar";
import { ShortcutsOverlay } from "@/components/ui/shortcuts";
import { reviewQueueBadgeCount } from "@/lib/triage/review-queue";
import { NavLinks, type NavItem } from "./nav-links";

const ROLE_LABEL = { requester: "Requester", agent: "Agent", admin: "Admin" } as const;

export async function SiteHeader({ principal }: { principal: Principal | null }) {
  const queue = isStaff(principal) ? await reviewQueueBadgeCount() : undefined;
  const items: NavItem[] = isStaff(principal)
    ? [
        { href: "/tickets", label: "Tickets" },
        {
          href: REVIEW_QUEUE_HREF,
          label: "Review queue",
          activeQuery: { needsReview: "true" },
          count: queue,
          countNoun: queue === 1 ? "ticket" : "tickets",
          testId: "nav-review-count",
        },
        { href: "/dashboard", label: "Dashboard" },
        { href: "/files", label: "Files" },
        { href: "/assistant", label: "Assistant" },
        { href: "/submit", label: "Submit a ticket" },
        ...(hasRole(principal, "admin") ? [{ href: "/admin/categories", label: "Admin", section: "/admin" }] : []),
        { href: "/settings/macros", label: "Macros" },
        { href: "/settings/notifications", label: "Mail settings" },
      ]
    : principal
      ? [
          { href: "/submit", label: "Submit a ticket" },
          { href: "/requests", label: "My requests" },
          { href: "/settings/notifications", label: "Mail settings" },
        ]
      : [{ href: "/submit", label: "Submit a ticket" }];

  return (
    <header className="border-b border-slate-800 bg-slate-900 text-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5">
        <Link href="/" className="flex items-center gap-2 rounded-md text-base font-semibold tracking-tight focus-visible:outline-white">
          <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-brand-500 text-sm font-bold">
            S
          </span>
          Switchboard
        </Link>
        <nav aria-label="Main" className="order-last w-full sm:order-none sm:w-auto sm:flex-1">
          <NavLinks items={items} />
        </nav>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-x-3 gap-y-2 text-sm">
          {isStaff(principal) ? <CommandBar /> : null}
          {isStaff(principal) ? <ShortcutsOverlay /> : null}
          {principal ? (
            <>
              <p className="text-slate-200">
                <span className="sr-only">Signed in as </span>
                <span className="font-medium text-white">{principal.label}</span>{" "}
                <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs font-medium text-slate-100">{ROLE_LABEL[principal.role]}</span>
              </p>
              <SignOutButton />
            </>
          ) : (
            <Link
              href="/signin"
              className="rounded-md bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 focus-visible:outline-white"
            >
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
