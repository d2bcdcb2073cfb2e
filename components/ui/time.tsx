const absoluteFmt = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "2 Nov 2026, 14:05 UTC" */
export function formatAbsolute(iso: string): string {
  return `${absoluteFmt.format(new Date(iso))} UTC`;
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

/** "5 min ago", "3 days ago", "in 2 hr" relative to `now` (ms). */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const diffS = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diffS);
  if (abs < 45) return "just now";
  if (abs < 3600) return rtf.format(Math.round(diffS / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(diffS / 3600), "hour");
  if (abs < 30 * 86400) return rtf.format(Math.round(diffS / 86400), "day");
  if (abs < 365 * 86400) return rtf.format(Math.round(diffS / (30 * 86400)), "month");
  return rtf.format(Math.round(diffS / (365 * 86400)), "year");
}

/**
 * A timestamp shown relative ("3 hr ago") with the absolute time in the tooltip and in the
 * machine-readable `dateTime`. Render it on the server (its text depends on the clock).
 */
export function RelativeTime({ iso, now, className }: { iso: string; now?: number; className?: string }) {
  const absolute = formatAbsolute(iso);
  return (
    <time dateTime={iso} title={absolute} className={className}>
      {formatRelative(iso, now)}
    </time>
  );
}

/** Seconds as a compact duration: "45 s", "12 min", "3.5 h", "2.1 d". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}
