import { describe, expect, it } from "vitest";
import { getAuthOptions } from "@/lib/auth/options";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";

const t = useTestDb();

type Authorize = (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;

function authorize(): Authorize {
  const provider = getAuthOptions().providers[0] as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize;
}

describe("credentials sign-in", () => {
  it("accepts the right password, rejects wrong ones, and throttles repeated failures", async () => {
    await makeActor(t.db, "pat@corp.test", "agent", { password: "correct-horse-battery" });
    const auth = authorize();
    const req = { headers: { "x-forwarded-for": "203.0.113.7" } };
    const ok = (await auth({ email: "Pat@Corp.test", password: "correct-horse-battery" }, req)) as { email: string; role: string };
    expect(ok).toMatchObject({ email: "pat@corp.test", role: "agent" });
    expect(await auth({ email: "pat@corp.test", password: "wrong" }, req)).toBeNull();
    expect(await auth({ email: "nobody@corp.test", password: "wrong" }, req)).toBeNull();
    for (let i = 0; i < 9; i++) await auth({ email: "pat@corp.test", password: `wrong-${i}` }, req);
    // 10 failures for this e-mail: even the right password is refused until the window passes
    expect(await auth({ email: "pat@corp.test", password: "correct-horse-battery" }, req)).toBeNull();
  });
});
