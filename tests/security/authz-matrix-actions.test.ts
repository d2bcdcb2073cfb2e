import { beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/db/schema";
import { useTestDb } from "../helpers/db";
import { makeActor } from "../helpers/fixtures";
import { loadActions, runAction, serverActionFiles, type ActionCase } from "./authz-actions";

/*
 * Authorization matrix over every server action: the files are found by their "use server"
 * directive and every exported function is called in-process as anonymous, requester and agent
 * (the session is the only thing replaced: currentPrincipal returns the principal under test).
 */
const who: { p: Principal | null } = { p: null };
vi.mock("@/lib/auth/session", async (orig) => ({ ...(await orig<typeof import("@/lib/auth/session")>()), currentPrincipal: async () => who.p }));
vi.mock("next/cache", async (orig) => ({ ...(await orig<typeof import("next/cache")>()), revalidatePath: () => {}, revalidateTag: () => {} }));

/** Actions open to anyone by design: the public submit form, e-mail confirmation links, first-run setup (refuses once an admin exists). */
const PUBLIC_FILES = new Set(["app/submit/actions.ts", "app/confirm/[token]/actions.ts", "app/setup/actions.ts"]);
/** What a refusal says: no session, or the role is too low. */
const REFUSED = /session has ended|sign in|only (admins|agents)|not allowed|permission/i;

const testDb = useTestDb();
let actions: ActionCase[];
const principals = {} as Record<Role, Principal>;

/** Row counts of every table in the public schema (a refused action must change none). */
async function allCounts(): Promise<Record<string, number>> {
  const tables = await rows<{ t: string }>(testDb.db, sql`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    const [r] = await rows<{ n: number }>(testDb.db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(t)}`);
    out[t] = r.n;
  }
  return out;
}

/** The two call shapes the actions use: (prevState, input) with a plain object and with FormData. */
const ARG_SHAPES: (() => unknown[])[] = [() => [{ status: "idle" }, {}], () => [{ status: "idle" }, new FormData()], () => [new FormData()]];

function succeeded(v: { threw: boolean; value: unknown }): boolean {
  if (v.threw || !v.value || typeof v.value !== "object") return false;
  const o = v.value as { status?: string; ok?: boolean };
  return o.status === "success" || o.ok === true;
}

beforeAll(async () => {
  actions = await loadActions();
  for (const role of ["requester", "agent", "admin"] as Role[]) {
    const a = await makeActor(testDb.db, `${role}-actions@corp.test`, role, role === "agent" ? { teamSlug: "service-desk" } : {});
    principals[role] = { kind: "user", id: a.id, role, userId: a.id, email: a.email, label: a.email } as Principal;
  }
}, 60_000);

describe("authorization matrix: server actions", () => {
  it("finds every server-action file and its actions", () => {
    expect(serverActionFiles().length).toBeGreaterThan(10);
    expect(actions.length).toBeGreaterThan(30);
    for (const f of PUBLIC_FILES) expect(serverActionFiles(), `${f} is listed as public but is gone`).toContain(f);
  });

  it("anonymous: every non-public action is refused and nothing is written", async () => {
    const before = await allCounts();
    let cells = 0;
    for (const a of actions.filter((x) => !PUBLIC_FILES.has(x.file))) {
      who.p = null;
      for (const args of ARG_SHAPES) {
        const r = await runAction(a.fn, args());
        expect(succeeded(r), `${a.file} ${a.name} succeeded anonymously`).toBe(false);
        if (!r.threw) expect(JSON.stringify(r.value), `${a.file} ${a.name} as anonymous`).toMatch(REFUSED);
        cells++;
      }
    }
    expect(cells).toBeGreaterThan(90);
    expect(await allCounts()).toEqual(before);
  }, 60_000);

  it("requesters and agents: admin actions (app/admin) and, for requesters, desk actions never succeed and write nothing", async () => {
    const before = await allCounts();
    let cells = 0;
    for (const role of ["requester", "agent"] as const) {
      who.p = principals[role];
      const targets = actions.filter((x) => x.file.startsWith("app/admin/") || (role === "requester" && x.file.startsWith("app/(desk)/")));
      for (const a of targets) {
        for (const args of ARG_SHAPES) {
          const r = await runAction(a.fn, args());
          expect(succeeded(r), `${a.file} ${a.name} succeeded as ${role}`).toBe(false);
          cells++;
        }
      }
    }
    expect(cells).toBeGreaterThan(90);
    expect(await allCounts()).toEqual(before);
  }, 60_000);

  it("first-run setup refuses once an admin exists (anonymous and signed in)", async () => {
    const before = await allCounts();
    const setup = actions.filter((a) => a.file === "app/setup/actions.ts");
    expect(setup.length).toBeGreaterThan(0);
    for (const p of [null, principals.requester]) {
      who.p = p;
      for (const a of setup) {
        const fd = new FormData();
        fd.set("email", "intruder@corp.test");
        fd.set("name", "Intruder");
        fd.set("password", "correct horse battery staple 42");
        fd.set("confirm", "correct horse battery staple 42");
        for (const args of [[fd], [{ status: "idle" }, fd]]) expect(succeeded(await runAction(a.fn, args)), `${a.name}`).toBe(false);
      }
    }
    expect(await allCounts()).toEqual(before);
  });
});
