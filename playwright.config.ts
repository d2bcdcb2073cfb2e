import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/*
 * End-to-end tests against the PRODUCTION build (`next start`), driven through the Debian
 * Chromium (Playwright's browser download is not reachable here). Run with `npm run test:e2e`
 * (scripts/e2e.mjs builds when needed, checks Chromium, picks a free port and a fresh data
 * folder); `npx playwright test` also works once `.next` is built.
 *
 * Each run gets a fresh DATA_DIR, so the embedded PGlite database is created and seeded with
 * the demo data (users + ~2,000 tickets) at start-up. With DATABASE_URL set, the server
 * command creates a fresh `e2e_<timestamp>` database on that server instead (and drops it after).
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;
// Set once in the main process; workers inherit the environment, so they see the same values.
process.env.E2E_PORT = String(PORT);
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-e2e-"));

const serverEnv: Record<string, string> = {
  NODE_ENV: "production",
  E2E_PORT: String(PORT),
  DATA_DIR: process.env.E2E_DATA_DIR,
  NEXTAUTH_URL: BASE_URL,
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
  // The embedded S3-compatible server (S3_ENDPOINT unset) next to the app's port, so parallel runs do not collide.
  S3_LOCAL_PORT: process.env.S3_LOCAL_PORT ?? String(PORT + 1000),
};
if (process.env.DATABASE_URL) serverEnv.DATABASE_URL = process.env.DATABASE_URL;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    // `serve` mode prepares the database (a fresh PostgreSQL database when DATABASE_URL is set) and runs `next start`.
    command: "node scripts/e2e.mjs serve",
    url: `${BASE_URL}/api/health`,
    env: serverEnv,
    // First start migrates and seeds ~2,000 tickets: allow plenty of time.
    timeout: 10 * 60_000,
    reuseExistingServer: false,
    stdout: process.env.E2E_SERVER_LOGS ? "pipe" : "ignore",
    stderr: "pipe",
    // SIGTERM lets PGlite flush and the serve wrapper drop its temporary database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
