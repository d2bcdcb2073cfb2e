"use client";

import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * A titled section of the dashboard fed by its own stats endpoint: heading and intro, then
 * an error with a retry (nothing loaded yet), a warning (a refresh failed; the last figures
 * stay), a loading line, or the body once data is there. `what` names the figures in those
 * messages ("triage" → "Could not load the triage statistics").
 */
export function DashboardSection({
  id,
  title,
  testId,
  intro,
  what,
  loaded,
  error,
  onRetry,
  children,
}: {
  id: string;
  title: string;
  testId: string;
  intro: ReactNode;
  what: string;
  loaded: boolean;
  error: string | null;
  onRetry: () => void;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-4 border-t border-slate-200 pt-5" data-testid={testId}>
      <div>
        <h2 id={id} className="text-lg font-semibold tracking-tight text-slate-900">
          {title}
        </h2>
        <p className="text-sm text-slate-600">{intro}</p>
      </div>

      {error && !loaded ? (
        <Alert tone="error" title={`Could not load the ${what} statistics`} live>
          <p>{error}</p>
          <Button size="sm" variant="secondary" className="mt-2" onClick={onRetry}>
            Try again
          </Button>
        </Alert>
      ) : null}
      {error && loaded ? (
        <Alert tone="warning" live>
          Could not refresh the {what} figures ({error}); showing the last ones.
        </Alert>
      ) : null}
      {!loaded && !error ? (
        <p role="status" className="text-sm text-slate-700">
          Loading {what} statistics…
        </p>
      ) : null}

      {loaded ? children : null}
    </section>
  );
}
