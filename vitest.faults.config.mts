import { defineConfig } from "vitest/config";
import base from "./vitest.config.mjs";

// Fault-injection suites (npm run test:faults, scripts/faults.mjs): real servers taken down and
// processes killed. They start production instances (`next start`) and worker processes, so they
// run after the production build and apart from the unit/integration run.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/reliability/faults/**/*.test.ts"],
    exclude: ["node_modules", "e2e", ".next"],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Each file starts its own processes; two at a time keep a 2-core machine responsive.
    maxWorkers: 2,
  },
});
