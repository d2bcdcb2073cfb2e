import Link from "next/link";
import { cx } from "@/components/ui/cx";

const TABS = [
  { key: "categories", href: "/admin/categories", label: "Categories and routing" },
  { key: "teams", href: "/admin/teams", label: "Teams" },
  { key: "employees", href: "/admin/employees", label: "Employees" },
  { key: "routing", href: "/admin/routing", label: "Team mappings" },
  { key: "rule-sets", href: "/admin/rule-sets", label: "Compliance rule sets" },
  { key: "outbox", href: "/admin/outbox", label: "Outbox" },
  { key: "inbound", href: "/admin/inbound", label: "Inbound mail" },
  { key: "mailboxes", href: "/admin/mailboxes", label: "Mailboxes" },
  { key: "sla", href: "/admin/sla", label: "SLA policies" },
  { key: "macros", href: "/admin/macros", label: "Macros" },
  { key: "calendars", href: "/admin/calendars", label: "Business hours" },
  { key: "odata", href: "/admin/odata", label: "OData sources" },
  { key: "assistant", href: "/admin/assistant", label: "Assistant log" },
  { key: "people", href: "/admin/people", label: "People" },
  { key: "api-keys", href: "/admin/api-keys", label: "API keys" },
  { key: "audit", href: "/admin/audit", label: "Audit" },
] as const;

/** The admin pages' own navigation (under the header's "Admin" link). */
export function AdminNav({ current }: { current: (typeof TABS)[number]["key"] }) {
  return (
    <nav aria-label="Admin" className="border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-x-4 gap-y-1">
        {TABS.map((t) => (
          <li key={t.key}>
            <Link
              href={t.href}
              aria-current={t.key === current ? "page" : undefined}
              className={cx(
                "inline-block border-b-2 px-1 pb-2 text-sm font-medium",
                t.key === current ? "border-brand-600 text-brand-700" : "border-transparent text-slate-700 hover:border-slate-400 hover:text-slate-900",
              )}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
