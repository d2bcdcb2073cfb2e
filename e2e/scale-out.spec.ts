import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser } from "@playwright/test";
import postgres from "postgres";
import { trySignIn, uniqueWord } from "./helpers";
import { freePort, tail } from "./mail-instance";

/*
 * Several instances behave as one (issue #6 §3): two production servers (`next start`) on one
 * fresh PostgreSQL database, each with its own DATA_DIR and NEXTAUTH_URL and the same
 * NEXTAUTH_SECRET, both running job workers. Every test acts on one instance and checks the
 * effect on the other (or in the shared database):
 *  - a category correction made on A is learned by B (event-stream tail, every 10 s);
 *  - a ticket created on A is found as similar on B (index tail, at most every 2 s);
 *  - the sign-in throttle counts failures from both instances against one e-mail;
 *  - a job runs once, not once per instance.
 * The embedded database (PGlite) belongs to one process, so this needs DATABASE_URL.
 */

const BASE_URL = process.env.DATABASE_URL;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

const ADMIN = { email: "scale-admin@example.com", password: `scale-${crypto.randomBytes(9).toString("base64url")}` };

interface Instance {
  name: "A" | "B";
  url: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
}

let dbName = "";
let dbUrl = "";
let apiKey = "";
let sql: postgres.Sql | null = null;
let workDir = "";
const instances: Instance[] = [];
let failed = false;
let a!: Instance;
let b!: Instance;

test.skip(!BASE_URL, "needs DATABASE_URL: two instances cannot share the embedded PGlite database (one process owns it)");

/** Run one of the repo's tsx scripts against the test database; returns its stdout. */
function runScript(script: string, args: string[], extraEnv: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [tsxCli, "--import", pathToFileURL(path.join(root, "scripts", "lib", "server-only-register.mjs")).href, path.join(root, "scripts", script), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: dbUrl, DATA_DIR: path.join(workDir, "cli"), LOG_LEVEL: "warn", ...extraEnv },
  });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function startInstance(name: "A" | "B", secret: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = path.join(workDir, `data-${name}`);
  const logFile = path.join(workDir, `server-${name}.log`);
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"], {
    cwd: root,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: url,
      PUBLIC_SUBMISSIONS: "true",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const inst: Instance = { name, url, child, logFile, exited };
  instances.push(inst);
  return inst;
}

async function waitHealthy(inst: Instance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (inst.child.exitCode !== null) throw new Error(`instance ${inst.name} exited (${inst.child.exitCode}):\n${tail(inst.logFile)}`);
    try {
      const res = await fetch(`${inst.url}/api/health`);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`instance ${inst.name} not healthy after ${timeoutMs} ms (last: ${last}):\n${tail(inst.logFile)}`);
}

async function stopInstance(inst: Instance): Promise<void> {
  if (inst.child.exitCode !== null || inst.child.signalCode !== null) return;
  inst.child.kill("SIGTERM");
  const killed = await Promise.race([inst.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  if (!killed) {
    inst.child.kill("SIGKILL");
    await inst.exited;
  }
}

/** Never leave servers behind, even when the runner dies. */
const killAll = () => {
  for (const i of instances) if (i.child.exitCode === null) i.child.kill("SIGKILL");
};

test.beforeAll(async () => {
  test.setTimeout(240_000);
  failed = true; // until the instances are up (keeps their logs when start-up fails)
  process.once("exit", killAll);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-scale-"));
  dbName = `scale_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = postgres(BASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${dbName}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const u = new URL(BASE_URL!);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();

  // First admin and an admin API key, the way an operator sets up a fresh install (both migrate).
  runScript("user-create.mts", ["--email", ADMIN.email, "--name", "Scale Admin", "--role", "admin"], { SWITCHBOARD_PASSWORD: ADMIN.password });
  const out = runScript("apikey-create.mts", ["--name", "scale", "--role", "admin"]).trim().split("\n");
  apiKey = out[out.length - 1].trim();
  expect(apiKey, `apikey-create printed: ${out.join("\n")}`).toMatch(/^\S{20,}$/);

  sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
  const secret = crypto.randomBytes(32).toString("base64url");
  a = await startInstance("A", secret);
  b = await startInstance("B", secret);
  await Promise.all([waitHealthy(a, 180_000), waitHealthy(b, 180_000)]);
  failed = false;
});

test.afterEach(({}, info) => {
  if (info.status !== info.expectedStatus) failed = true;
});

test.afterAll(async () => {
  test.setTimeout(90_000);
  await Promise.all(instances.map(stopInstance));
  process.removeListener("exit", killAll);
  if (sql) await sql.end({ timeout: 5 });
  if (dbName && BASE_URL) {
    const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  }
  if (!workDir) return;
  if (failed) {
    for (const i of instances) console.log(`[scale-out] instance ${i.name} log (${i.logFile}), last lines:\n${tail(i.logFile)}`);
  } else {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

/** An API client for one instance, authenticated with the admin API key. */
async function api(inst: Instance): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: inst.url, extraHTTPHeaders: { authorization: `Bearer ${apiKey}` } });
}

interface Classification {
  category: string;
  similar: { key: string; title: string; status: string; similarity: number }[];
}

async function classify(ctx: APIRequestContext, body: { title?: string; description: string }): Promise<Classification> {
  const res = await ctx.post("/api/tickets/classify", { data: body });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as Classification;
}

async function createTicket(ctx: APIRequestContext, body: { title: string; description: string; email: string }): Promise<string> {
  const res = await ctx.post("/api/tickets", { data: body });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { ticket: { key: string } }).ticket.key;
}

/** Building problems the shipped model files elsewhere; agents correct them into a new category. */
const facilitiesTickets = [
  ["Meeting room 4 air conditioning is broken", "The air conditioning in meeting room 4 only blows hot air, the room is far too hot for meetings"],
  ["No heating in the east wing", "The radiators in the east wing are cold again this morning, the heating must be off"],
  ["Too hot at my desk", "The air conditioning above the open-plan desks is broken and it is very hot in the office"],
  ["Desk chair broken", "The gas lift of my desk chair is broken and the chair sinks to the floor, please replace the chair"],
  ["Ceiling lights out near the lifts", "Two ceiling lights next to the lifts on floor 1 are out, please replace the bulbs"],
  ["Water leaking under the kitchen sink", "The pipe under the sink in the second floor kitchen is leaking water onto the floor"],
];

test("a category correction made on instance A is learned by instance B", async () => {
  test.setTimeout(120_000);
  const onA = await api(a);
  const onB = await api(b);
  try {
    const probe = { title: "AC not working", description: "The air conditioning in meeting room 5 is broken and it is far too hot in there" };
    expect((await classify(onB, probe)).category).not.toBe("facilities");

    const created = await onA.post("/api/categories", {
      data: { slug: "facilities", name: "Facilities", description: "Building, heating, air conditioning, furniture", team: "service-desk" },
    });
    expect(created.status(), await created.text()).toBe(201);
    for (const [title, description] of facilitiesTickets) {
      const key = await createTicket(onA, { title, description, email: "emp@example.com" });
      const p = await onA.patch(`/api/tickets/${key}`, { data: { category: "facilities" } });
      expect(p.status(), await p.text()).toBe(200);
    }
    // Both learn through the event stream (every 10 s); B once its reference-data cache (30 s) knows the new category.
    await expect.poll(async () => (await classify(onA, probe)).category, { timeout: 30_000, intervals: [1_000] }).toBe("facilities");
    await expect
      .poll(async () => (await classify(onB, probe)).category, { timeout: 60_000, intervals: [3_000] })
      .toBe("facilities");
  } finally {
    await Promise.all([onA.dispose(), onB.dispose()]);
  }
});

test("a ticket created on instance A is found as similar on instance B", async () => {
  test.setTimeout(90_000);
  const onA = await api(a);
  const onB = await api(b);
  try {
    const word = uniqueWord("sim");
    const text = {
      title: `Label printer ${word} prints blank shipping labels`,
      description: `The Zebra label printer ${word} in the warehouse dispatch bay prints completely blank shipping labels since the driver update this morning.`,
    };
    // B's index is loaded before the ticket exists, so B must take it in from the event stream.
    expect((await classify(onB, text)).similar.map((s) => s.key)).toEqual([]);
    const key = await createTicket(onA, { ...text, email: "dispatch@example.com" });
    const nearly = {
      title: `Label printer ${word} prints blank shipping labels`,
      description: `Zebra label printer ${word} in the warehouse dispatch bay prints blank shipping labels since this morning's driver update.`,
    };
    await expect
      .poll(async () => (await classify(onB, nearly)).similar.map((s) => s.key), { timeout: 30_000, intervals: [2_000] })
      .toContain(key);
  } finally {
    await Promise.all([onA.dispose(), onB.dispose()]);
  }
});

test("the sign-in throttle counts failures on both instances against one e-mail", async () => {
  test.setTimeout(60_000);
  const ctxA = await playwrightRequest.newContext({ baseURL: a.url });
  const ctxB = await playwrightRequest.newContext({ baseURL: b.url });
  try {
    const email = ADMIN.email;
    const wrong = "not-the-password-123";
    const seq = [ctxA, ctxB, ctxA, ctxB, ctxA];
    for (const [i, ctx] of seq.entries()) {
      expect((await trySignIn(ctx, email, wrong)).error, `attempt ${i + 1}`).toBe("CredentialsSignin");
    }
    const row = async () =>
      (
        await sql!<{ failures: number; blocked: boolean }[]>`
          SELECT failures, coalesce(blocked_until > now(), false) AS blocked FROM signin_failures WHERE key = ${`email:${email}`}`
      )[0] ?? null;
    expect(await row()).toEqual({ failures: 5, blocked: false });
    const blockOver = () => expect.poll(async () => (await row())?.blocked, { timeout: 20_000, intervals: [250] }).toBe(false);

    // Each further failure blocks the e-mail for 2^(n−5) s, wherever it happens.
    expect((await trySignIn(ctxB, email, wrong)).error).toBe("TooManyAttempts:2");
    await blockOver();
    expect((await trySignIn(ctxA, email, wrong)).error).toBe("TooManyAttempts:4");
    await blockOver();
    expect((await trySignIn(ctxB, email, wrong)).error).toBe("TooManyAttempts:8");
    expect(await row()).toEqual({ failures: 8, blocked: true });
    // While blocked, the other instance refuses even the right password, without counting it.
    expect((await trySignIn(ctxA, email, ADMIN.password)).error).toMatch(/^TooManyAttempts:\d+$/);
    expect((await row())?.failures).toBe(8);

    // Once the block is over the right password works and resets the count.
    await blockOver();
    expect((await trySignIn(ctxA, email, ADMIN.password)).error).toBeNull();
    expect(await row()).toBeNull();
  } finally {
    await Promise.all([ctxA.dispose(), ctxB.dispose()]);
  }
});

/** File a ticket through /submit as a signed-out visitor of `inst`; returns its key. */
async function submitSignedOut(browser: Browser, inst: Instance, word: string, n: number): Promise<string> {
  const context = await browser.newContext({ baseURL: inst.url });
  try {
    const page = await context.newPage();
    await page.goto("/submit");
    await page.getByLabel("Title").fill(`Badge reader ${n} rejects my card ${word}`);
    await page
      .getByLabel("Description", { exact: true })
      .fill(`The badge reader at entrance ${n} rejects my access card since this morning; the light turns red (${word}).`);
    await page.getByLabel("Your e-mail").fill(`visitor-${n}-${word}@example.com`);
    await page.getByRole("button", { name: "Submit ticket" }).click();
    const keyEl = page.getByTestId("created-key");
    await expect(keyEl).toHaveText(/^T-\d+$/);
    return (await keyEl.textContent())!.trim();
  } finally {
    await context.close();
  }
}

test("a job runs once, not once per instance", async ({ browser }) => {
  test.setTimeout(120_000);
  const handler = "mail.requester-confirmation";
  const word = uniqueWord("job");
  const keys: string[] = [];
  for (const [n, inst] of [a, b, a, b].entries()) keys.push(await submitSignedOut(browser, inst, word, n + 1));
  expect(new Set(keys).size).toBe(4);

  const ticketRows = await sql!<{ id: string; key: string }[]>`SELECT id::text AS id, key FROM tickets WHERE key IN ${sql!(keys)}`;
  expect(ticketRows).toHaveLength(4);
  const ids = ticketRows.map((t) => t.id);

  // Both instances run workers; the mail is written by whichever takes each job.
  await expect
    .poll(
      async () =>
        Number(
          (await sql!`SELECT count(DISTINCT ticket_id) AS n FROM mail_outbox WHERE handler = ${handler} AND ticket_id::text IN ${sql!(ids)}`)[0].n,
        ),
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(4);

  const events = await sql!<{ id: string; ticket_id: string }[]>`
    SELECT id::text AS id, ticket_id::text AS ticket_id FROM domain_events
    WHERE type = 'ticket.created' AND ticket_id::text IN ${sql!(ids)}`;
  expect(events).toHaveLength(4);
  const eventIds = events.map((e) => e.id);

  // Let both instances' workers finish whatever they hold, then count.
  await expect
    .poll(
      async () =>
        (
          await sql!<{ state: string }[]>`SELECT state FROM pgboss.job WHERE name = ${handler} AND data->>'eventId' IN ${sql!(eventIds)}`
        ).map((j) => j.state),
      { timeout: 30_000, intervals: [1_000] },
    )
    .toEqual(["completed", "completed", "completed", "completed"]);

  const mails = await sql!<{ ticket_id: string; to_address: string; text_body: string }[]>`
    SELECT ticket_id::text AS ticket_id, to_address, text_body FROM mail_outbox WHERE handler = ${handler} AND ticket_id::text IN ${sql!(ids)}`;
  expect(mails).toHaveLength(4);
  for (const t of ticketRows) {
    const mine = mails.filter((m) => m.ticket_id === t.id);
    expect(mine, `mails for ${t.key}`).toHaveLength(1);
    expect(mine[0].to_address).toMatch(new RegExp(`^visitor-\\d-${word}@example\\.com$`));
    expect(mine[0].text_body).toMatch(/\/confirm\/\S+/);
  }
  const receipts = await sql!`SELECT handler, event_id FROM job_receipts WHERE handler = ${handler} AND event_id::text IN ${sql!(eventIds)}`;
  expect(receipts).toHaveLength(4);
  const confirmations = await sql!`SELECT ticket_id FROM ticket_confirmations WHERE ticket_id::text IN ${sql!(ids)}`;
  expect(confirmations).toHaveLength(4);
  // One job per event (no second copy queued by the other instance's dispatcher).
  const perEvent = await sql!<{ event_id: string; n: string }[]>`
    SELECT data->>'eventId' AS event_id, count(*)::text AS n FROM pgboss.job
    WHERE name = ${handler} AND data->>'eventId' IN ${sql!(eventIds)} GROUP BY 1`;
  expect(perEvent.map((r) => r.n)).toEqual(["1", "1", "1", "1"]);
});
