/**
 * Which task queues this process has put jobs in since its workers last looked, so the workers
 * of those queues fetch at once instead of at their next idle poll (lib/jobs/worker.ts). Kept
 * on `globalThis`: Next.js may bundle this module once per route, and a route's enqueue must
 * reach the workers started by instrumentation. Only a hint: a rolled-back enqueue costs one
 * empty fetch, and jobs from other instances, retries and delayed jobs are found by polling.
 */
const globalForWake = globalThis as unknown as { __switchboardEnqueued?: Set<string> };

function enqueued(): Set<string> {
  return (globalForWake.__switchboardEnqueued ??= new Set<string>());
}

/** Record that a job was inserted into task queue `name` by this process. */
export function noteTaskEnqueued(name: string): void {
  enqueued().add(name);
}

/** The task queues recorded since the last call (then forgotten); empty when none. */
export function takeEnqueuedQueues(): string[] {
  const s = enqueued();
  if (s.size === 0) return [];
  const names = [...s];
  s.clear();
  return names;
}
