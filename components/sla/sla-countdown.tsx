"use client";

import { useEffect, useState } from "react";
import { cx } from "@/components/ui/cx";
import type { TicketSlaDTO } from "@/lib/sla/types";
import {
  formatCountdown,
  formatDueInZone,
  formatSlaSpan,
  headlineTarget,
  liveOverallState,
  liveTargets,
  SLA_STATE_LABEL,
  SLA_TARGET_LABEL,
  type LiveTarget,
} from "./format";
import { SLA_TONE } from "./sla-badge";

/**
 * The ticket page's live SLA countdown: the active target's business time left (or overdue),
 * ticking every second, and one entry per target (first response, next response, resolution)
 * with its state and its due time in the calendar's zone.
 *
 * Time: `serverNow` is the server's SLA "now" (ISO; the test clock's offset included). At load
 * the component takes skew = serverNow − Date.now() and from then on reads Date.now() + skew,
 * so a moved test clock (or a browser clock that is off) counts from the server's time. The
 * remaining time is business time on the DTO's calendar (lib/sla/business-time.ts), so it
 * stands still outside working hours and while the ticket is paused. The first render uses
 * `serverNow` itself, so server and browser render the same text.
 */
export function SlaCountdown({ sla, serverNow }: { sla: TicketSlaDTO; serverNow: string }) {
  const serverNowMs = Date.parse(serverNow);
  const [nowMs, setNowMs] = useState(serverNowMs);
  useEffect(() => {
    const skew = serverNowMs - Date.now();
    const tick = () => setNowMs(Date.now() + skew);
    tick();
    const id = window.setInterval(tick, 1000);
    return () => window.clearInterval(id);
  }, [serverNowMs]);

  const live = liveTargets(sla, nowMs);
  const head = headlineTarget(sla, live);
  const overall = liveOverallState(sla, live);
  const tz = sla.calendar.timeZone;

  return (
    <div className="space-y-3 px-4 py-3 text-sm" data-testid="sla-countdown" data-sla-state={overall}>
      <p className="text-xs text-slate-600">
        Policy <span className="font-medium text-slate-800">{sla.policy}</span> · {sla.calendar.name}
        {sla.calendar.alwaysOpen ? "" : ` (${tz})`}
      </p>
      {head ? (
        <Headline target={head} />
      ) : (
        <p className={cx("font-medium", overall === "breached" ? "text-red-900" : "text-emerald-900")}>
          {overall === "breached" ? "No target running; at least one was missed." : "Every target met."}
        </p>
      )}
      {/* A list, not a table: the side bar is too narrow for three columns (the due time wrapped and the pill overflowed). */}
      <ul aria-label={`SLA targets with due times in ${tz}`} className="divide-y divide-slate-100 text-xs">
        {live.map((t) => (
          <li key={t.target} data-testid={`sla-target-${t.target}`} data-sla-state={t.state} className="py-1.5">
            <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
              <span className="font-medium text-slate-800">{SLA_TARGET_LABEL[t.target]}</span>
              <StatePill target={t} />
            </div>
            <p className="mt-0.5 text-slate-700">
              Due <time dateTime={t.dueAt}>{formatDueInZone(t.dueAt, tz)}</time>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The big clock of the active target: "14:32 left" / "overdue 1:05", its state in words. */
function Headline({ target }: { target: LiveTarget }) {
  const left = target.remainingS ?? 0;
  const overdue = left < 0;
  const clock = formatCountdown(left);
  const label = SLA_TARGET_LABEL[target.target];
  const words =
    target.paused
      ? `${label}: paused, ${formatSlaSpan(left)} ${overdue ? "overdue" : "left"}`
      : overdue
        ? `${label}: overdue by ${formatSlaSpan(left)}`
        : `${label}: ${formatSlaSpan(left)} left`;
  return (
    <div className={cx("rounded-md px-3 py-2 ring-1 ring-inset", SLA_TONE[target.state])}>
      <p className="text-xs font-medium">
        {label} · {SLA_STATE_LABEL[target.state]}
        {target.paused && target.state !== "paused" ? " · paused" : ""}
      </p>
      {/* role=timer: not announced every second; the label carries the full reading for screen readers. */}
      <p role="timer" aria-label={words} data-testid="sla-clock" className="font-mono text-2xl font-semibold tabular-nums">
        {overdue ? `−${clock}` : clock}
        <span className="ml-2 font-sans text-xs font-normal">{overdue ? "overdue" : "left"}
        {target.paused ? " (paused)" : ""}</span>
      </p>
    </div>
  );
}

function StatePill({ target }: { target: LiveTarget }) {
  const extra = target.state === "met" || target.remainingS === null ? "" : target.remainingS < 0 ? ` · ${formatSlaSpan(target.remainingS)} over` : "";
  return (
    <span className={cx("inline-flex whitespace-nowrap rounded-full px-2 py-0.5 font-medium ring-1 ring-inset", SLA_TONE[target.state])}>
      {SLA_STATE_LABEL[target.state]}
      {extra}
    </span>
  );
}
