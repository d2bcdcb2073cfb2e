import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit and integration tests. Playwright specs live in e2e/ and are run by scripts/e2e.mjs.
// `server-only` throws unless resolved with the react-server condition (as Next does for server
// code); the tests are server code, so they get its empty module.
export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    alias: { "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)) },
  },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts", "scripts/**/*.test.ts"],
    // tests/reliability/faults/ runs apart, after the production build: npm run test:faults.
    exclude: ["node_modules", "e2e", ".next", "tests/reliability/faults/**"],
    environment: "node",
    // One migrated PGlite cluster per run, loaded by every file's in-memory database.
    globalSetup: ["tests/global-setup.ts"],
    // Route-class rate limits (lib/rate-limit.ts) stay out of the way of tests that make many
    // calls as one actor; tests/security/rate-limit-classes.test.ts sets its own low limits.
    env: {
      RATE_LIMIT_READ_PER_MIN: "1000000",
      RATE_LIMIT_WRITE_PER_MIN: "1000000",
      RATE_LIMIT_CLASSIFY_PER_MIN: "1000000",
      RATE_LIMIT_AUTH_PER_MIN: "1000000",
    },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine,
    // although most test time is spent waiting (PostgreSQL, loopback servers, job polling).
    // One more worker than cores keeps both cores busy; each file has its own database.
    maxWorkers: Math.max(2, os.availableParallelism() + 1),
  },
});
