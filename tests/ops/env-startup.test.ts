import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EnvError, resetEnvForTests } from "@/lib/env";

/*
 * A bad configuration stops the start with ONE error naming every bad variable: through the
 * Next.js start-up hook (instrumentation.ts, before startServer) and in a separate process
 * (the worker entry point).
 */

const startServer = vi.fn(async () => {});
vi.mock("@/lib/server-start", () => ({ startServer }));

const BAD = { DATABASE_POOL_MAX: "0", LOG_LEVEL: "loud", S3_BUCKET: "Not_A_Bucket" };
const saved: Record<string, string | undefined> = {};

function setEnv(vars: Record<string, string>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!(k in saved)) saved[k] = process.env[k];
    process.env[k] = v;
  }
  resetEnvForTests();
}

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    delete saved[k];
  }
  resetEnvForTests();
  vi.restoreAllMocks();
  startServer.mockClear();
});

describe("start-up validation", () => {
  it("instrumentation register() refuses a bad environment before starting anything, naming all bad variables once", async () => {
    setEnv({ NEXT_RUNTIME: "nodejs", ...BAD });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { register } = await import("../../instrumentation");
    const err = await register().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EnvError);
    expect((err as EnvError).problems.map((p) => p.key).sort()).toEqual(["DATABASE_POOL_MAX", "LOG_LEVEL", "S3_BUCKET"]);
    expect(startServer).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalledTimes(1);
    const text = String(logged.mock.calls[0][0]);
    for (const k of Object.keys(BAD)) expect(text).toContain(`${k}: `);
  });

  it("starts the server when the environment is valid", async () => {
    setEnv({ NEXT_RUNTIME: "nodejs", DATABASE_POOL_MAX: "5", LOG_LEVEL: "warn", S3_BUCKET: "switchboard" });
    const { register } = await import("../../instrumentation");
    await register();
    expect(startServer).toHaveBeenCalledTimes(1);
  });

  it("a process started with a bad environment exits non-zero, the one error naming every bad variable", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/lib/server-only-register.mjs", "scripts/worker.mts"], {
      env: { ...process.env, ...BAD, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", VITEST: "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    const m = /Invalid environment \(3 bad settings[^\n]*\n((?: {2}\S[^\n]*\n?){3})/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    for (const k of Object.keys(BAD)) expect(m![1]).toContain(`${k}: `);
  });
});
