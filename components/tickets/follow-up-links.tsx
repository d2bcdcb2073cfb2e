import Link from "next/link";
import type { Status } from "@/db/schema/enums";
import { STATUS_LABEL } from "./labels";

const linkClass = "font-mono text-brand-700 underline underline-offset-2 hover:text-brand-900";

/**
 * A ticket header's links between a ticket and its follow-ups: "Follow-up of T-3" when the
 * ticket follows up an earlier one, "Follow-ups: T-7, T-9" when later tickets follow it up.
 * Links go to `${basePath}/<key>` (/tickets for agents, /requests for requesters). Renders
 * nothing when there is neither.
 */
export function FollowUpLinks({
  followUpOf,
  followUps,
  basePath,
}: {
  followUpOf: string | null;
  followUps: readonly { key: string; title: string; status: Status }[];
  basePath: "/tickets" | "/requests";
}) {
  if (!followUpOf && followUps.length === 0) return null;
  return (
    <div className="mt-2 space-y-1 text-sm text-slate-700" data-testid="follow-up-links">
      {followUpOf ? (
        <p data-testid="follow-up-of">
          Follow-up of{" "}
          <Link href={`${basePath}/${followUpOf}`} className={linkClass}>
            {followUpOf}
          </Link>
        </p>
      ) : null}
      {followUps.length > 0 ? (
        <p data-testid="follow-ups">
          Follow-ups:{" "}
          {followUps.map((f, i) => (
            <span key={f.key}>
              {i > 0 ? ", " : null}
              <Link href={`${basePath}/${f.key}`} className={linkClass} title={`${f.title} (${STATUS_LABEL[f.status]})`}>
                {f.key}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
