/**
 * The agents' review queue: tickets whose triage still waits for an agent's confirmation and
 * that are not resolved or closed (the same tickets `reviewQueue` counts in GET /api/triage/stats).
 * A plain module so server and client components can both import it.
 */
export const REVIEW_QUEUE_HREF = "/tickets?needsReview=true&status=new,open,in_progress,waiting";
