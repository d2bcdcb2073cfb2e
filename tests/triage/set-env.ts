import { resetEnvForTests } from "@/lib/env";

/** Set environment variables for a test and re-read them: lib/env.ts memoises env(). */
export function setEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
  resetEnvForTests();
}

/** Unset environment variables and re-read the environment. */
export function clearEnv(keys: readonly string[]): void {
  for (const k of keys) delete process.env[k];
  resetEnvForTests();
}
