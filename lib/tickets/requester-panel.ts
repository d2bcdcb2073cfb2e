import "server-only";
import { and, desc, eq, inArray, ne, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tickets, users } from "@/db/schema";
import type { Status } from "@/db/schema/enums";
import type { Principal } from "@/lib/auth/principal";
import { assertStaff } from "./access";

/*
 * The requester panel of the agent's ticket page (issue 12): who asked, from which organisation,
 * and what else they (and their organisation) have open. The organisation is the e-mail's domain,
 * except for free-mail providers, where a domain says nothing about an employer.
 */

/** Domains of free-mail providers: their users share no organisation. Lower-case. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
  "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "icloud.com", "me.com", "mac.com",
  "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
  "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "fastmail.com", "hey.com", "tutanota.com",
]);

const OPEN_STATUSES: Status[] = ["new", "open", "in_progress", "waiting"];
/** How many open and recent tickets the panel lists at most. */
export const PANEL_LIMIT = 5;

/** The organisation of an e-mail address: its domain, lower-cased; null for free-mail domains or no domain. */
export function organisationOf(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 0) return null;
  const domain = email.slice(at + 1).trim().toLowerCase();
  if (!domain || FREE_MAIL_DOMAINS.has(domain)) return null;
  return domain;
}

/** The display name of a requester: their user's name when they have an account, else null. */
export async function requesterName(db: DbOrTx, email: string): Promise<string | null> {
  const [u] = await db.select({ name: users.name }).from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase())).limit(1);
  return u?.name?.trim() || null;
}

/** A requester's name, or the part of their address before the `@` when they have no account. */
export function displayName(name: string | null, email: string): string {
  return name ?? email.split("@")[0];
}

export interface PanelTicket {
  key: string;
  title: string;
  status: Status;
  /** ISO timestamp. */
  createdAt: string;
}

export interface RequesterPanel {
  email: string;
  /** From the users table; null when the requester has no account (or no name). */
  name: string | null;
  /** E-mail domain, e.g. "acme.com"; null for free-mail addresses. */
  organisation: string | null;
  /** The requester's other unsolved tickets (new, open, in progress, waiting), newest first, ≤ {@link PANEL_LIMIT}. */
  open: PanelTicket[];
  /** Their other solved (resolved or closed) tickets, newest first, ≤ {@link PANEL_LIMIT}. */
  recent: PanelTicket[];
  /** How many other tickets the requester has (any status). */
  totalOther: number;
  /** Tickets from the organisation (same e-mail domain, any requester, this one included); null without an organisation. */
  organisationTickets: number | null;
}

/**
 * The requester panel for the ticket `ticketId` whose requester is `email` (agents only).
 * Merged duplicates are left out of the lists.
 *
 * @throws ApiError 403 for non-agents.
 */
export async function requesterPanel(db: DbOrTx, principal: Principal, ticket: { id: number; email: string }): Promise<RequesterPanel> {
  assertStaff(principal, "see the requester panel");
  const email = ticket.email.toLowerCase();
  const organisation = organisationOf(email);
  const others = and(eq(tickets.requesterEmail, email), ne(tickets.id, ticket.id), sql`${tickets.mergedIntoId} IS NULL`);
  const cols = { key: tickets.key, title: tickets.title, status: tickets.status, createdAt: tickets.createdAt };
  const [name, open, recent, [total], org] = await Promise.all([
    requesterName(db, email),
    db.select(cols).from(tickets).where(and(others, inArray(tickets.status, OPEN_STATUSES))).orderBy(desc(tickets.createdAt)).limit(PANEL_LIMIT),
    db.select(cols).from(tickets).where(and(others, notInArray(tickets.status, OPEN_STATUSES))).orderBy(desc(tickets.createdAt)).limit(PANEL_LIMIT),
    db.select({ n: sql<number>`count(*)::int` }).from(tickets).where(others),
    organisation
      ? db
          .select({ n: sql<number>`count(*)::int` })
          .from(tickets)
          // requester_email is stored lower-case; the trigram index serves the suffix match.
          .where(sql`${tickets.requesterEmail} LIKE ${`%@${organisation.replace(/[\\%_]/g, "\\$&")}`}`)
      : Promise.resolve(null),
  ]);
  const dto = (r: (typeof open)[number]): PanelTicket => ({ key: r.key, title: r.title, status: r.status, createdAt: new Date(r.createdAt).toISOString() });
  return {
    email,
    name,
    organisation,
    open: open.map(dto),
    recent: recent.map(dto),
    totalOther: Number(total?.n ?? 0),
    organisationTickets: org ? Number(org[0]?.n ?? 0) : null,
  };
}
