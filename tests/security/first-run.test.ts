import { describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { appSettings, users } from "@/db/schema";
import { createFirstAdmin, ensureSetupToken, isValidSetupToken, SETUP_TOKEN_KEY, SetupError } from "@/lib/auth/setup";
import { isDemoInstall } from "@/lib/demo/settings";
import { startServer } from "@/lib/server-start";
import SetupPage from "@/app/setup/page";
import { createFirstAdminAction } from "@/app/setup/actions";
import { useTestDb } from "../helpers/db";

const t = useTestDb();

const userCount = async () => Number((await t.db.select({ n: count() }).from(users))[0].n);
const form = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};
/** The page's notFound() throws Next's 404 marker; anything else renders. */
async function renderSetup(token?: string): Promise<"404" | "form"> {
  try {
    await SetupPage({ searchParams: Promise.resolve(token === undefined ? {} : { token }) });
    return "form";
  } catch (err) {
    if (String((err as { digest?: string }).digest ?? "").includes("404")) return "404";
    throw err;
  }
}

describe("first run of a production install", () => {
  it("the production start path creates no user, no demo marker, and issues a setup token", async () => {
    await startServer();
    expect(await userCount()).toBe(0);
    expect(await isDemoInstall(t.db)).toBe(false);
    const [row] = await t.db.select().from(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY));
    expect(row.value).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // a second instance starting moments later reuses the token instead of replacing it
    expect(await ensureSetupToken(t.db)).toBe("existing");
  });

  it("concurrent instances issue exactly one token", async () => {
    await t.db.delete(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY));
    const results = await Promise.all([ensureSetupToken(t.db), ensureSetupToken(t.db), ensureSetupToken(t.db)]);
    expect(results.filter((r) => r !== "existing" && r !== null)).toHaveLength(1);
    expect(results.filter((r) => r === "existing")).toHaveLength(2);
  });

  it("/setup rejects a wrong or missing token and accepts the right one once", async () => {
    await t.db.delete(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY));
    const token = await ensureSetupToken(t.db);
    expect(typeof token === "string" && token !== "existing").toBe(true);
    const good = token as string;

    expect(await renderSetup()).toBe("404");
    expect(await renderSetup("wrong-token")).toBe("404");
    expect(await renderSetup(good.slice(0, -1) + (good.endsWith("A") ? "B" : "A"))).toBe("404");
    expect(await renderSetup(good)).toBe("form");
    expect(await isValidSetupToken(t.db, "x".repeat(5000))).toBe(false);

    const input = { email: "Ops@Corp.test", name: "Ops Admin", password: "a-long-password-1" };
    // wrong token: refused, nothing created
    const wrong = await createFirstAdminAction({ status: "idle" }, form({ ...input, token: "nope" }));
    expect(wrong).toMatchObject({ status: "error" });
    await expect(createFirstAdmin(t.db, "nope", input)).rejects.toBeInstanceOf(SetupError);
    // short password: a field error
    const short = await createFirstAdminAction({ status: "idle" }, form({ ...input, password: "short", token: good }));
    expect(short).toMatchObject({ status: "error", fieldErrors: { password: expect.any(String) } });
    expect(await userCount()).toBe(0);

    // right token: the admin is created and the token is gone
    const ok = await createFirstAdminAction({ status: "idle" }, form({ ...input, token: good }));
    expect(ok).toMatchObject({ status: "success", data: { email: "ops@corp.test" } });
    const [admin] = await t.db.select().from(users);
    expect(admin).toMatchObject({ email: "ops@corp.test", role: "admin", active: true });
    expect(await t.db.select().from(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY))).toHaveLength(0);

    // the same token again: refused; the page is gone; start-up issues no new token
    const again = await createFirstAdminAction({ status: "idle" }, form({ ...input, email: "eve@corp.test", token: good }));
    expect(again).toMatchObject({ status: "error" });
    expect(await renderSetup(good)).toBe("404");
    expect(await ensureSetupToken(t.db)).toBeNull();
    expect(await userCount()).toBe(1);
  });

  it("two concurrent submissions with the right token create one admin", async () => {
    await t.db.delete(users);
    await t.db.delete(appSettings).where(eq(appSettings.key, SETUP_TOKEN_KEY));
    const token = (await ensureSetupToken(t.db)) as string;
    const results = await Promise.allSettled([
      createFirstAdmin(t.db, token, { email: "a@corp.test", name: "A", password: "a-long-password-1" }),
      createFirstAdmin(t.db, token, { email: "b@corp.test", name: "B", password: "a-long-password-2" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await userCount()).toBe(1);
  });
});
