import { afterAll, beforeAll } from "vitest";
import { startDovecot, type DovecotServer } from "./dovecot";

/**
 * Register beforeAll/afterAll hooks giving the test file a private dovecot with `users`.
 * Read `.server` inside tests.
 */
export function useDovecot(users: Record<string, string>): { server: DovecotServer } {
  const ctx = {} as { server: DovecotServer };
  beforeAll(async () => {
    ctx.server = await startDovecot({ users });
  }, 60_000);
  afterAll(async () => {
    await ctx.server?.close();
  });
  return ctx;
}
