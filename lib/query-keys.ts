/**
 * The one factory for TanStack Query keys. Components never type a key by hand, so
 * invalidation (`queryClient.invalidateQueries({ queryKey: queryKeys.stats.all() })`) always
 * matches what was cached.
 */
export const queryKeys = {
  stats: {
    /** Every stats query (invalidate after creating or changing tickets). */
    all: () => ["stats"] as const,
    /** Stats for the last `days` UTC days ending today (the dashboard's range selector). */
    lastDays: (days: number) => ["stats", "last-days", days] as const,
    /** Triage stats (GET /api/triage/stats) for the same range, accuracy over the last `window` reviewed tickets. */
    triageLastDays: (days: number, window: number) => ["stats", "triage", "last-days", days, window] as const,
  },
  uploads: {
    /** Every upload query. */
    all: () => ["uploads"] as const,
    /** GET /api/uploads?kind= */
    list: (kind: string | null) => ["uploads", "list", kind] as const,
    /** GET /api/uploads/{id} (polled while checking/processing) */
    one: (id: string) => ["uploads", "one", id] as const,
    /** GET /api/uploads/{id}/findings with its filters and page cursor */
    findings: (id: string, filters: { code?: string; severity?: string; cursor?: number }) => ["uploads", "findings", id, filters] as const,
  },
  assistant: {
    /** Every assistant query (the command bar leaves these alone: a refetch is a new suggestion and chat log entry). */
    all: () => ["assistant"] as const,
    /** GET /api/tickets/{key}/assistant: the per-ticket suggestions. */
    ticket: (key: string) => ["assistant", "ticket", key] as const,
  },
  workspace: {
    /** GET /api/workspace/version: the change marker the ticket list polls. */
    version: () => ["workspace", "version"] as const,
  },
} as const;
