import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { getAuthOptions } from "@/lib/auth/options";
import { tooManyAttemptsSeconds } from "@/lib/auth/signin-error";
import { ACCOUNT_BACKOFF, recordFailure } from "@/lib/auth/signin-throttle";
import { resetEnvForTests } from "@/lib/env";
import { peerHeaderName } from "@/lib/http/client-ip";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";

const t = useTestDb();

type Req = { headers: Record<string, string> };
type Authorize = (c: Record<string, string>, req: Req) => Promise<unknown>;

function authorize(): Authorize {
  const provider = getAuthOptions().providers[0] as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize;
}

/** A request as the server sees it: the stamped socket address plus whatever the client sent. */
const from = (peer: string, extra: Record<string, string> = {}): Req => ({ headers: { [peerHeaderName()]: peer, ...extra } });

/** Outcome of one sign-in: "ok", "wrong" (null), or the seconds of a TooManyAttempts block. */
async function attempt(email: string, password: string, req: Req): Promise<"ok" | "wrong" | number> {
  try {
    return (await authorize()(({ email, password }), req)) ? "ok" : "wrong";
  } catch (err) {
    const s = tooManyAttemptsSeconds((err as Error).message);
    if (s === null) throw err;
    return s;
  }
}

async function failures(key: string): Promise<{ failures: number; blocked: boolean } | undefined> {
  const [r] = await rows<{ failures: number; blocked: boolean }>(
    t.db,
    sql`SELECT failures, coalesce(blocked_until > now(), false) AS blocked FROM signin_failures WHERE key = ${key}`,
  );
  return r;
}
/** Let every block end now (instead of sleeping). */
const expireBlocks = () => t.db.execute(sql`UPDATE signin_failures SET blocked_until = now() - interval '1 second' WHERE blocked_until IS NOT NULL`);

describe("credentials sign-in", () => {
  it("accepts the right password (any e-mail case) and rejects wrong ones", async () => {
    await makeActor(t.db, "pat@corp.test", "agent", { password: "correct-horse-battery" });
    const req = from("203.0.113.7");
    expect(await authorize()({ email: "Pat@Corp.test", password: "correct-horse-battery" }, req)).toMatchObject({ email: "pat@corp.test", role: "agent" });
    expect(await attempt("pat@corp.test", "wrong", req)).toBe("wrong");
    expect(await attempt("nobody@corp.test", "wrong", req)).toBe("wrong");
  });

  it("backs off exponentially per account instead of locking it out; the block expires and a success resets", async () => {
    await makeActor(t.db, "ada@corp.test", "admin", { password: "correct-horse-battery" });
    const req = from("198.51.100.20");
    for (let i = 0; i < ACCOUNT_BACKOFF.freeFailures; i++) expect(await attempt("ada@corp.test", `wrong-${i}`, req)).toBe("wrong");
    // the 6th failure starts a 2 s block; even the right password is refused during it, with the wait
    expect(await attempt("ada@corp.test", "wrong-6", req)).toBe(2);
    const during = await attempt("ada@corp.test", "correct-horse-battery", req);
    expect(typeof during === "number" && during >= 1 && during <= 2).toBe(true);
    // each further failure doubles the block
    await expireBlocks();
    expect(await attempt("ada@corp.test", "wrong-7", req)).toBe(4);
    await expireBlocks();
    expect(await attempt("ada@corp.test", "wrong-8", req)).toBe(8);
    expect(await failures("email:ada@corp.test")).toEqual({ failures: 8, blocked: true });
    // the block expires by itself; then the right password works and resets the account's counter
    await expireBlocks();
    expect(await attempt("ada@corp.test", "correct-horse-battery", req)).toBe("ok");
    expect(await failures("email:ada@corp.test")).toBeUndefined();
    expect(await attempt("ada@corp.test", "wrong-again", req)).toBe("wrong");
  });

  it("caps the block at 15 minutes", async () => {
    await t.db.execute(sql`INSERT INTO signin_failures (key, failures) VALUES ('email:cap@corp.test', 40)`);
    expect((await recordFailure(t.db, "email:cap@corp.test", ACCOUNT_BACKOFF)).blockedForS).toBe(15 * 60);
  });

  it("counts concurrent failures exactly", async () => {
    await Promise.all(Array.from({ length: 20 }, () => recordFailure(t.db, "email:burst@corp.test", ACCOUNT_BACKOFF)));
    expect((await failures("email:burst@corp.test"))?.failures).toBe(20);
  });

  it("ignores a spoofed X-Forwarded-For when TRUSTED_PROXIES is unset", async () => {
    for (const xff of ["1.1.1.1", "2.2.2.2, 3.3.3.3", "garbage"]) {
      await attempt("nobody@corp.test", "wrong", from("192.0.2.50", { "x-forwarded-for": xff, "x-real-ip": "4.4.4.4" }));
    }
    expect((await failures("ip:192.0.2.50"))?.failures).toBe(3);
    for (const spoofed of ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]) expect(await failures(`ip:${spoofed}`)).toBeUndefined();
  });

  it("believes X-Forwarded-For from a trusted proxy, walking from the right", async () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    resetEnvForTests();
    try {
      await attempt("nobody@corp.test", "wrong", from("10.0.0.5", { "x-forwarded-for": "6.6.6.6, 192.0.2.77, 10.0.0.9" }));
      expect((await failures("ip:192.0.2.77"))?.failures).toBe(1);
      expect(await failures("ip:6.6.6.6")).toBeUndefined();
      expect(await failures("ip:10.0.0.5")).toBeUndefined();
    } finally {
      delete process.env.TRUSTED_PROXIES;
      resetEnvForTests();
    }
  });
});
