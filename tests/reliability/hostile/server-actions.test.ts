import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDbHandle } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { JOB_HANDLERS, TASK_HANDLERS } from "@/lib/jobs/handlers";
import { ensureQueues } from "@/lib/jobs/worker";
import { useTestDb } from "../../helpers/db";
import { loadActions, serverActionFiles, type ActionCase } from "../../security/authz-actions";
import { hostileValue, mutations } from "./_json-routes";
import { changedTables, dbFingerprint, makeFixtures, type Fixtures } from "./_routes";

/*
 * Hostile input over every server action (issue 15 §3: the routes' JSON fuzz covers app/api, and
 * a server action is as open: anyone can POST a `Next-Action` id with arguments of any shape the
 * React reply encoding carries: strings, numbers, objects, FormData). Each action, found by its
 * "use server" directive, is called in-process as a signed-in admin (a requester for the
 * requester's own pages) with fast-check arguments in every position: real ids and keys of
 * fixtures, hostile values, objects and FormData whose keys are the names the action's file uses.
 * Properties, the 5xx and write checks of the JSON routes' fuzz in server-action terms:
 *   - it never throws, except Next's redirect() and notFound() (a throw is a 500 for the user);
 *   - it never answers the generic "went wrong on our side" state (an unexpected error, logged);
 *   - an answer that refuses (status "error", ok false) wrote nothing (every app table's
 *     fingerprint unchanged).
 * The session is the only thing replaced (currentPrincipal), with next/cache's revalidation and
 * next/headers' request headers, which need a request scope.
 */
const who: { p: Principal | null } = { p: null };
vi.mock("@/lib/auth/session", async (orig) => ({ ...(await orig<typeof import("@/lib/auth/session")>()), currentPrincipal: async () => who.p }));
vi.mock("next/cache", async (orig) => ({ ...(await orig<typeof import("next/cache")>()), revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock("next/headers", async (orig) => ({ ...(await orig<typeof import("next/headers")>()), headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "hostile" }) }));

const RUNS = Number(process.env.HOSTILE_RUNS ?? 20);
const ROOT = path.resolve(__dirname, "../../..");
/** Pages a requester uses: their actions run as the fixtures' requester (the tickets' owner). */
const REQUESTER_FILES = /^app\/(requests|settings|submit|confirm|reset-password|forgot-password)\//;

const testDb = useTestDb();
let fx: Fixtures;
let actions: ActionCase[];
const principals: { admin?: Principal; requester?: Principal } = {};
const tally = { actions: 0, calls: 0, succeeded: 0, refused: 0, redirected: 0, other: 0, threw: 0, unexpected: 0 };

type Answered = "succeeded" | "refused" | "redirected" | "other";
type Outcome = { kind: Answered; value: unknown } | { kind: "threw"; error: unknown };

function classify(value: unknown): Answered {
  if (value && typeof value === "object") {
    const o = value as { status?: unknown; ok?: unknown };
    if (o.status === "success" || o.ok === true) return "succeeded";
    if (o.status === "error" || o.ok === false) return "refused";
  }
  return "other";
}

/** redirect() and notFound() throw errors Next turns into a redirect or the 404 page, not a 500. */
function isNavigation(err: unknown): boolean {
  const digest = (err as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && /^(NEXT_REDIRECT|NEXT_HTTP_ERROR_FALLBACK;404)/.test(digest);
}

async function run(a: ActionCase, args: unknown[]): Promise<Outcome> {
  try {
    const value = await a.fn(...args);
    return { kind: classify(value), value };
  } catch (err) {
    return isNavigation(err) ? { kind: "redirected", value: null } : { kind: "threw", error: err };
  }
}

/** The string literals of an action's file that look like field names (its form and object keys). */
function fieldNames(file: string): string[] {
  const src = readFileSync(path.join(ROOT, file), "utf8");
  return [...new Set([...src.matchAll(/["']([a-zA-Z][a-zA-Z0-9_]{0,30})["']/g)].map((m) => m[1]))].filter((n) => n !== "use");
}

const show = (v: unknown): string => {
  if (v instanceof FormData) return `FormData(${inspect([...v.entries()].map(([k, x]) => [k, typeof x === "string" ? x : "<file>"]), INSPECT)})`;
  return inspect(v, INSPECT);
};
const INSPECT = { depth: 2, maxStringLength: 40, maxArrayLength: 5, breakLength: Infinity } as const;

/** One argument: an id of a fixture, a hostile value, or an object / FormData with the file's field names. */
function argument(ids: string[], keys: string[]): fc.Arbitrary<unknown> {
  const key = keys.length ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 });
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(...ids),
    hostileValue.filter((v) => typeof v === "string" && v.length < 70_000).map(String),
    fc.integer().map(String),
  );
  const value = fc.oneof(text, hostileValue);
  const entries = fc.array(fc.tuple(key, value), { maxLength: 6 });
  return fc.oneof(
    fc.constantFrom(...ids),
    fc.integer(),
    hostileValue,
    entries.map((es) => Object.fromEntries(es)),
    fc.array(fc.tuple(key, text), { maxLength: 6 }).map((es) => {
      const fd = new FormData();
      for (const [k, v] of es) fd.append(k, v);
      return fd;
    }),
    fc.constant(new FormData()),
    fc.constant({ status: "idle" }),
  );
}

/**
 * Valid arguments for the actions that take a JSON-shaped input, from the JSON routes' valid
 * bodies (same services, same schemas): `[...bound, prevState, input]`. Their mutations reach
 * past validation into the services; a test checks each base still succeeds.
 */
function validArgs(f: Fixtures): Record<string, { bound: unknown[]; input: unknown }> {
  const p = (r: string, k: string) => f.params[r][k];
  const v = (k: string) => f.valid[k];
  return {
    createTeamAction: { bound: [], input: { ...(v("POST teams") as object), slug: "team-sa-action" } },
    createCategoryAction: { bound: [], input: { ...(v("POST categories") as object), slug: "sa-action-category" } },
    updateCategoryAction: { bound: [p("categories/[slug]", "slug")], input: v("PATCH categories/[slug]") },
    createEmployeeAction: { bound: [], input: { ...(v("POST employees") as object), email: "sa-action-emp@corp.test" } },
    createRuleSetAction: { bound: [], input: { ...(v("POST rule-sets") as object), name: "Rules sa action" } },
    updateRuleSetAction: { bound: [p("rule-sets/[id]", "id")], input: v("PUT rule-sets/[id]") },
    createSourceAction: { bound: [], input: { ...(v("POST odata/sources") as object), name: "ERP sa action" } },
    updateSourceAction: { bound: [p("odata/sources/[id]", "id")], input: v("PATCH odata/sources/[id]") },
    createPolicyAction: { bound: [], input: { ...(v("POST sla/policies") as object), name: "Policy sa action", priority: "P1" } },
    updatePolicyAction: { bound: [p("sla/policies/[id]", "id")], input: v("PATCH sla/policies/[id]") },
    createCalendarAction: { bound: [], input: { ...(v("POST sla/calendars") as object), name: "Cal sa action" } },
    updateCalendarAction: { bound: [p("sla/calendars/[id]", "id")], input: v("PATCH sla/calendars/[id]") },
    addHolidayAction: { bound: [p("sla/calendars/[id]", "id")], input: v("POST sla/calendars/[id]/holidays") },
    createTargetAction: { bound: [], input: { ...(v("POST routing/targets") as object), name: "Hook sa action" } },
    updateTargetAction: { bound: [p("routing/targets/[id]", "id")], input: v("PATCH routing/targets/[id]") },
    updateTicketAction: { bound: [p("tickets/[key]", "key")], input: v("PATCH tickets/[key]") },
    addAgentCommentAction: { bound: [p("tickets/[key]/comments", "key")], input: v("POST tickets/[key]/comments") },
    tagsAction: { bound: [p("tickets/[key]/tags", "key")], input: v("PUT tickets/[key]/tags") },
    linkAction: { bound: [p("tickets/[key]/links", "key")], input: v("POST tickets/[key]/links") },
    submitTicketAction: { bound: [], input: v("POST tickets") },
    addRequesterReplyAction: { bound: [p("tickets/[key]/comments", "key")], input: v("POST tickets/[key]/comments") },
  };
}

beforeAll(async () => {
  // The job queues exist, as in any app process (run-now and resend actions enqueue tasks).
  const { db, kind } = await getDbHandle();
  await ensureQueues(db, kind, await getBoss(), [...JOB_HANDLERS, ...TASK_HANDLERS]);
  fx = await makeFixtures(testDb.db, "sa");
  actions = await loadActions();
  principals.admin = { kind: "user", id: fx.admin.id, role: "admin", userId: fx.admin.id, email: fx.admin.email, label: fx.admin.email } as Principal;
  principals.requester = { kind: "user", id: fx.requester.id, role: "requester", userId: fx.requester.id, email: fx.requester.email, label: fx.requester.email } as Principal;
}, 120_000);

afterAll(async () => {
  await stopBoss();
  // One line for docs/RELIABILITY.md.
  console.log(
    `hostile-actions: ${tally.actions} actions, ${tally.calls} calls (${tally.succeeded} succeeded, ${tally.refused} refused, ${tally.redirected} redirected, ${tally.other} other), ${tally.threw} throws, ${tally.unexpected} unexpected errors`,
  );
});

describe("hostile arguments to every server action", () => {
  it("finds the server actions", () => {
    expect(serverActionFiles().length).toBeGreaterThan(15);
    expect(actions.length).toBeGreaterThan(40);
  });

  it("the valid arguments the mutations start from succeed", async () => {
    const bases = validArgs(fx);
    const bad: string[] = [];
    for (const [name, b] of Object.entries(bases)) {
      const a = actions.find((x) => x.name === name);
      if (!a) {
        bad.push(`${name}: no such action`);
        continue;
      }
      who.p = REQUESTER_FILES.test(a.file) ? principals.requester! : principals.admin!;
      const out = await run(a, [...b.bound, { status: "idle" }, b.input]);
      if (out.kind !== "succeeded") bad.push(`${name}: ${out.kind === "threw" ? String(out.error) : show(out.value)}`);
    }
    expect(bad).toEqual([]);
  });

  it("never throws, never hits an unexpected error, and a refusal writes nothing", async () => {
    const ids = [...new Set(Object.values(fx.params).flatMap((p) => Object.values(p)))];
    const failures: string[] = [];
    for (const a of actions) {
      tally.actions++;
      who.p = REQUESTER_FILES.test(a.file) ? principals.requester! : principals.admin!;
      const arity = Math.max(1, a.fn.length);
      const arg = argument(ids, fieldNames(a.file));
      const base = validArgs(fx)[a.name];
      const anyArgs = fc.array(arg, { minLength: arity, maxLength: arity });
      // Near-valid: the valid input mutated (a field dropped, replaced, nested; extra keys).
      const nearValid = base ? mutations(base.input, []).map((m) => [...base.bound, { status: "idle" }, m.body]) : null;
      // fc.check, not fc.assert: every failing action is reported, not only the first.
      const details = await fc.check(
        fc.asyncProperty(nearValid ? fc.oneof(anyArgs, nearValid) : anyArgs, async (args) => {
          const before = await dbFingerprint(testDb.db);
          const out = await run(a, args);
          const where = `${a.name}(${args.map(show).join(", ")})`;
          tally.calls++;
          if (out.kind === "threw") tally.threw++;
          if (out.kind === "threw") throw new Error(`${where} threw: ${out.error instanceof Error ? out.error.stack?.split("\n").slice(0, 3).join(" ") : String(out.error)}`);
          tally[out.kind]++;
          if (/went wrong on our side/.test(JSON.stringify(out.value ?? null))) tally.unexpected++;
          expect(JSON.stringify(out.value ?? null), `${where}: an unexpected error`).not.toMatch(/went wrong on our side/);
          if (out.kind === "refused") expect(changedTables(before, await dbFingerprint(testDb.db)), `${where}: a refusal wrote`).toEqual([]);
        }),
        { numRuns: base ? 2 * RUNS : RUNS },
      );
      if (details.failed) failures.push(`${a.file} ${a.name} (seed ${details.seed}): ${String(details.errorInstance).slice(0, 600)}`);
    }
    expect(failures).toEqual([]);
  }, 900_000);
});
