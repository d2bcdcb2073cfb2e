import { afterAll, beforeAll } from "vitest";
import { startDovecot, type DovecotServer } from "./dovecot";

/**
 * Register beforeAll/afterAll hooks giving the test file a private dovecot with `users` (and
 * optional `extraConfig` lines, see startDovecot).
 * Read `.server` inside tests.
 */
export function useDovecot(users: Record<string, string>, extraConfig?: string): { server: DovecotServer } {
  const ctx = {} as { server: DovecotServer };
  beforeAll(async () => {
    ctx.server = await startDovecot({ users, extraConfig });
  }, 60_000);
  afterAll(async () => {
    await ctx.server?.close();
  });
  return ctx;
}
