/**
 * Next.js start-up hook: stamp requests with their peer address, open and migrate the database,
 * seed reference data, load the triage model and start the job workers before the first
 * request (lib/server-start.ts). Skipped while building.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // Every setting validated once, before anything else: a bad one stops the start with one error naming them all.
  (await import("./lib/env")).validateEnvAtStartup();
  (await import("./lib/http/compression")).warnOnCompressionMismatch();
  // Stamp each request with its socket address before any is handled (lib/http/client-ip.ts):
  // next start keeps a client-sent X-Forwarded-For, so per-IP limits need the real peer.
  (await import("./lib/http/client-ip")).installPeerAddressHeader();
  const { startServer } = await import("./lib/server-start");
  await startServer();
}
