/**
 * Next.js start-up hook: open and migrate the database, seed a fresh one, start the stats
 * folder and load the triage model before the first request. Skipped while building.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./lib/server-start");
  await startServer();
}
