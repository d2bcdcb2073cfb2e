import { count, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, csatRatings, ticketAssignments, ticketComments, tickets, ticketTags, users, type Priority } from "@/db/schema";
import { SEED_CATEGORIES } from "@/db/seed";
import { recomputeTicketSlas } from "@/lib/sla/clock-service";
import { createTicket } from "@/lib/tickets/create-ticket";
import { DEMO_TICKETS } from "./index";
import { DEMO_REQUESTERS, type DemoRequester } from "./people";
import { creationTimes, planTicket, prng, type TicketPlan } from "./plan";
import type { DemoTicket } from "./types";

/** Tags given to demo tickets whose title or description matches (so the tag filter has data). */
const TAG_RULES: [tag: string, pattern: RegExp][] = [
  ["vpn", /\bVPN\b|AnyConnect/i],
  ["outlook", /\bOutlook\b/],
  ["sap", /\bSAP\b|S\/4/],
  ["printer", /\bprint(er|ing)?\b|plotter/i],
  ["onboarding", /onboard|new starter|new hire|intern\b|first day/i],
  ["mfa", /\bMFA\b|Authenticator|two-factor/i],
  ["payroll", /payroll|payslip|salary/i],
  ["meeting-room", /meeting room|room [A-Z][a-z]+|Boardroom|conference room/i],
  ["jira", /\bJira\b|Confluence/],
];

const CSAT_GOOD = [
  "Quick and friendly, thank you!",
  "Fixed before I even finished my coffee.",
  "Very clear explanation, thanks.",
  "Great help, much appreciated.",
  null,
  null,
  "Thanks for following up so fast.",
  "Solved on the first try.",
];
const CSAT_BAD = [
  "Took almost a week for something that should be simple.",
  "I had to explain the problem three times.",
  "It works now, but nobody told me the ticket was closed.",
  "Still not really fixed, I just gave up.",
];

type Staff = { id: string; name: string; role: string; teamSlug: string | null; email: string };

/** Every demo requester by id. */
const REQUESTER_BY_ID = new Map(DEMO_REQUESTERS.map((r) => [r.id, r]));

/**
 * The hand-written demo desk (lib/demo/desk/*.ts, at least 300 tickets in natural English) over
 * the last 90 days. Each ticket is filed through createTicket (triage decision, audit and domain
 * events as for a real one) at its backdated time; then the steps of its conversation whose time
 * has come are written as the real services would have written them: comments, `comment.*`,
 * `ticket.assignee_changed`, `ticket.status_changed` (through the lifecycle's legal moves, with
 * reopens) and `ticket.resolution_changed` audit rows, an assignment row, first response,
 * resolution and close times. Where the triage's category or priority differs from the data's,
 * the assignee "corrected" it. A few resolved tickets get a CSAT rating, matching ones a tag.
 * Requesters count as verified (they stand for signed-in employees). The seeded events are marked
 * dispatched (history starts no background jobs) and the SLA clocks are recomputed at the end.
 * Skipped when tickets exist.
 * @param opts.limit at most this many tickets (tests); default all.
 * @param opts.preferredAgents e-mails of the agents who get most of their team's tickets (the demo agents).
 * @returns number of tickets created.
 */
export async function seedDeskTickets(db: Db, opts: { limit?: number; now?: Date; preferredAgents?: readonly string[] } = {}): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(tickets);
  if (Number(n) > 0) return 0;
  const rand = prng(90210);
  const now = (opts.now ?? new Date()).getTime();
  const chosen = orderForTimeline(DEMO_TICKETS, rand).slice(0, opts.limit ?? DEMO_TICKETS.length);
  const times = creationTimes(chosen.length, now, 90, rand);
  const staff = (await db.select({ id: users.id, name: users.name, role: users.role, teamSlug: users.teamSlug, email: users.email }).from(users)).filter(
    (u) => u.role !== "requester",
  );
  const userIdByEmail = new Map((await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]));
  const pickRequester = requesterPicker(rand);
  const preferred = new Set(opts.preferredAgents ?? []);

  const seededIds: number[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < chosen.length; i++) {
      const data = chosen[i];
      const requester = data.by ? REQUESTER_BY_ID.get(data.by)! : pickRequester();
      const id = await writeTicket(tx as unknown as Db, data, requester, times[i], now, rand, { staff, preferred }, userIdByEmail.get(requester.email) ?? null);
      seededIds.push(id);
    }
    // Seeded history is not new work: its events start no background jobs (pushes, auto-assignment, mail).
    if (seededIds.length) {
      await tx.execute(sql`UPDATE domain_events SET dispatched_at = now()
        WHERE dispatched_at IS NULL AND ticket_id BETWEEN ${Math.min(...seededIds)} AND ${Math.max(...seededIds)}`);
    }
  });
  // Statuses and times were written directly: recompute the SLA clocks from them.
  await recomputeTicketSlas(db, seededIds, new Date(now));
  return seededIds.length;
}

/**
 * The tickets in timeline order: shuffled, with the ones whose story is unfinished (no
 * resolution, or waiting at the end) mostly among the recent ones.
 */
function orderForTimeline(all: readonly DemoTicket[], rand: () => number): DemoTicket[] {
  return all
    .map((t) => ({ t, key: rand() + (t.flow.some((s) => s.startsWith("f:")) ? 0 : 0.75) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.t);
}

/** Requesters for tickets without `by`: everyone but the demo requester account, shuffled, round robin. */
function requesterPicker(rand: () => number): () => DemoRequester {
  const pool = DEMO_REQUESTERS.filter((r) => r.id !== "rita")
    .map((r) => ({ r, k: rand() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.r);
  let i = 0;
  return () => pool[i++ % pool.length];
}

/** The assignee: mostly the preferred (demo) agent of the category's team, else another agent of that team. */
function pickAssignee(staff: Staff[], team: string, preferred: ReadonlySet<string>, rand: () => number): Staff {
  const inTeam = staff.filter((s) => s.teamSlug === team);
  const favourite = inTeam.find((s) => preferred.has(s.email));
  if (favourite && rand() < 0.75) return favourite;
  const pool = inTeam.length ? inTeam : staff;
  return pool[Math.floor(rand() * pool.length)];
}

interface AuditRow {
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  at: number;
  actor: { id: string | null; label: string };
}

/** File one demo ticket at `createdAt` and write its played history. @returns the ticket id. */
async function writeTicket(
  tx: Db,
  data: DemoTicket,
  requester: DemoRequester,
  createdAt: number,
  now: number,
  rand: () => number,
  agents: { staff: Staff[]; preferred: ReadonlySet<string> },
  requesterId: string | null,
): Promise<number> {
  const { ticket } = await createTicket(
    tx,
    { title: data.t, description: data.d, email: requester.email, source: rand() < 0.65 ? "web" : "email" },
    { principal: null, defaultSource: "web", createdAt: new Date(createdAt) },
  );
  const id = Number(ticket.key.slice(2));
  const priority: Priority = data.p ?? "P3";
  const category = data.c;
  const team = SEED_CATEGORIES.find((c) => c.slug === category)!.teamSlug;
  // Most of the last three weeks' tickets are still being worked on: part of their story is yet to come.
  const recent = now - createdAt < 21 * 86_400_000 && rand() < 0.6;
  const plan = planTicket(data.flow, priority, createdAt, now, rand, { maxSteps: recent ? Math.floor(rand() * data.flow.length) : Infinity });
  const first = requester.name.split(" ")[0];
  const text = (s: string) => s.replaceAll("{first}", first);
  const iso = (t: number) => new Date(t).toISOString();

  // An untouched new ticket keeps the triage's routing; anything an agent worked on has the data's.
  const worked = plan.steps.some((s) => s.kind !== "r");
  const assigned = worked || rand() < 0.35;
  const assignee = assigned ? pickAssignee(agents.staff, team, agents.preferred, rand) : null;
  const firstAgentAt = plan.steps.find((s) => s.kind !== "r")?.at ?? createdAt + Math.min(now - createdAt, 20 * 60_000) * rand();
  const audit: AuditRow[] = [];
  const as = (s: Staff) => ({ id: s.id, label: s.name });

  if (assignee) {
    const at = createdAt + (firstAgentAt - createdAt) * 0.6;
    if (worked && ticket.category !== category) {
      audit.push({ action: "ticket.category_changed", before: { category: ticket.category }, after: { category }, at: at - 60_000, actor: as(assignee) });
    }
    if (worked && ticket.priority !== priority) {
      audit.push({ action: "ticket.priority_changed", before: { priority: ticket.priority }, after: { priority }, at: at - 30_000, actor: as(assignee) });
    }
    audit.push({ action: "ticket.assignee_changed", before: { assignee: null }, after: { assignee: assignee.id }, at, actor: as(assignee) });
    await tx.insert(ticketAssignments).values({ ticketId: id, teamSlug: worked ? team : ticket.team, assigneeId: assignee.id, assignedById: assignee.id, reason: "agent assignment", assignedAt: new Date(at) });
  }

  const comments: (typeof ticketComments.$inferInsert)[] = [];
  for (const step of plan.steps) {
    const byRequester = step.kind === "r";
    if (step.kind !== "f") {
      const author = byRequester ? { id: requesterId, label: requester.name, role: "requester" } : { id: assignee!.id, label: assignee!.name, role: assignee!.role };
      comments.push({ ticketId: id, authorId: author.id, authorLabel: author.label, authorRole: author.role, body: text(step.text), internal: step.kind === "n", createdAt: new Date(step.at) });
      audit.push({
        action: step.kind === "n" ? "comment.internal_note_added" : "comment.reply_added",
        before: null,
        after: { internal: step.kind === "n" },
        at: step.at,
        actor: byRequester ? { id: requesterId, label: requester.name } : as(assignee!),
      });
    } else {
      audit.push({ action: "ticket.resolution_changed", before: { resolution: null }, after: { resolution: text(step.text) }, at: step.at, actor: as(assignee!) });
    }
    for (const m of step.transitions) {
      audit.push({
        action: "ticket.status_changed",
        before: { status: m.from },
        after: { status: m.to, ...(m.waitingReason ? { waitingReason: m.waitingReason } : {}), cause: m.cause },
        at: step.at + 1000,
        actor: m.cause === "requester_reply" ? { id: requesterId, label: requester.name } : as(assignee!),
      });
    }
  }
  if (plan.closedAt !== null) {
    audit.push({ action: "ticket.status_changed", before: { status: "resolved" }, after: { status: "closed", cause: "agent" }, at: plan.closedAt, actor: as(assignee!) });
  }
  if (comments.length) await tx.insert(ticketComments).values(comments);
  if (audit.length) {
    await tx.insert(auditEvents).values(
      audit.map((e) => ({
        ticketId: id,
        entityType: "ticket",
        entityId: ticket.key,
        actorType: "user" as const,
        actorId: e.actor.id,
        actorLabel: e.actor.label,
        action: e.action,
        before: e.before,
        after: e.after,
        at: new Date(e.at),
      })),
    );
  }

  const lastAt = Math.max(createdAt, ...plan.steps.map((s) => s.at), plan.closedAt ?? 0);
  await tx.execute(sql`
    UPDATE tickets SET status = ${plan.status}::ticket_status, requester_verified = true,
      waiting_reason = ${plan.waitingReason}::waiting_reason,
      category_slug = ${worked ? category : ticket.category}, team_slug = ${worked ? team : ticket.team},
      priority = ${worked ? priority : ticket.priority}::ticket_priority,
      assignee_id = ${assignee?.id ?? null},
      first_response_at = ${plan.firstResponseAt === null ? null : iso(plan.firstResponseAt)}::timestamptz,
      resolved_at = ${plan.resolvedAt === null ? null : iso(plan.resolvedAt)}::timestamptz,
      closed_at = ${plan.closedAt === null ? null : iso(plan.closedAt)}::timestamptz,
      resolution = ${plan.resolution === null ? null : text(plan.resolution)},
      needs_review = ${worked ? false : ticket.needsReview},
      updated_at = ${iso(lastAt)}::timestamptz
    WHERE id = ${id}`);
  if (worked) {
    await tx.execute(sql`
      UPDATE triage_decisions SET reviewed_at = ${iso(firstAgentAt)}::timestamptz,
        overridden_by = ${ticket.category !== category ? "agent" : null}::triage_override_by,
        final_category = ${category}, final_team = ${team}
      WHERE ticket_id = ${id}`);
  }
  await writeExtras(tx, id, data, requester, plan, team, assignee, now, rand);
  return id;
}

/** Tags by keyword, and a CSAT rating for about half of the resolved tickets. */
async function writeExtras(
  tx: Db,
  id: number,
  data: DemoTicket,
  requester: DemoRequester,
  plan: TicketPlan,
  team: string,
  assignee: Staff | null,
  now: number,
  rand: () => number,
): Promise<void> {
  const tags = TAG_RULES.filter(([, re]) => re.test(data.t) || re.test(data.d)).map(([tag]) => tag);
  if (tags.length) await tx.insert(ticketTags).values(tags.map((tag) => ({ ticketId: id, tag, createdAt: new Date(plan.steps[0]?.at ?? now) })));
  if (plan.resolvedAt === null || rand() > 0.5) return;
  const ratedAt = Math.min(now, plan.resolvedAt + (1 + rand() * 30) * 3_600_000);
  const good = rand() < 0.85;
  const pool = good ? CSAT_GOOD : CSAT_BAD;
  await tx.insert(csatRatings).values({
    ticketId: id,
    rating: good ? "good" : "bad",
    comment: pool[Math.floor(rand() * pool.length)],
    requesterEmail: requester.email,
    teamSlug: team,
    assigneeId: assignee?.id ?? null,
    createdAt: new Date(ratedAt),
  });
}
