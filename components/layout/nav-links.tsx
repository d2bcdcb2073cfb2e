"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { cx } from "@/components/ui/cx";

export interface NavItem {
  href: string;
  label: string;
  /** Also current on pages below this path (e.g. "/admin" for every admin page). */
  section?: string;
  /** Current only when the URL has these query values (e.g. the review queue: needsReview=true). */
  activeQuery?: Record<string, string>;
  /** A count shown next to the label (hidden when 0), read as "<label>: <count> <countNoun>". */
  count?: number;
  countNoun?: string;
  testId?: string;
}

/**
 * Header links; the current section gets aria-current="page" and a visible marker. When several
 * links match (Tickets and the filtered Review queue), the most specific one is current.
 */
export function NavLinks({ items }: { items: NavItem[] }) {
  // useSearchParams needs a Suspense boundary; the fallback is the same list without a current link.
  return (
    <Suspense fallback={<NavList items={items} current={null} />}>
      <CurrentNavLinks items={items} />
    </Suspense>
  );
}

function CurrentNavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname() ?? "/";
  const params = useSearchParams();
  let current: string | null = null;
  let best = 0;
  for (const item of items) {
    const path = item.href.split("?")[0];
    const onPath =
      pathname === path || pathname.startsWith(`${path}/`) || (!!item.section && (pathname === item.section || pathname.startsWith(`${item.section}/`)));
    if (!onPath) continue;
    const query = Object.entries(item.activeQuery ?? {});
    if (!query.every(([k, v]) => params?.get(k) === v)) continue;
    const score = 1 + query.length;
    if (score > best) {
      best = score;
      current = item.href;
    }
  }
  return <NavList items={items} current={current} />;
}

function NavList({ items, current }: { items: NavItem[]; current: string | null }) {
  return (
    <ul className="flex flex-wrap items-center gap-1">
      {items.map((item) => {
        const active = item.href === current;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cx(
                "inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium",
                active ? "bg-slate-800 text-white" : "text-slate-200 hover:bg-slate-800 hover:text-white",
              )}
            >
              {item.label}
              {item.count ? (
                <>
                  <span className="sr-only">: </span>
                  <span
                    className="min-w-5 rounded-full bg-amber-300 px-1.5 text-center text-xs font-semibold tabular-nums text-slate-900"
                    data-testid={item.testId}
                  >
                    {item.count > 999 ? "999+" : item.count}
                  </span>
                  {item.countNoun ? <span className="sr-only"> {item.countNoun}</span> : null}
                </>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
