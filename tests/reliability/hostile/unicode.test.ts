import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import * as tagsRoute from "@/app/api/tickets/[key]/tags/route";
import * as usersRoute from "@/app/api/admin/users/route";
import * as userRoute from "@/app/api/admin/users/[id]/route";
import * as apiKeysRoute from "@/app/api/admin/api-keys/route";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call, type CallResult } from "../../helpers/http";
import { changedTables, dbFingerprint, expectErrorShape, jsonRoutes, makeFixtures, pathOf, REQUESTER_ROUTES } from "./_routes";

/*
 * Unicode edge cases through the real routes (issue 15 §3), on PGlite and PostgreSQL: a ticket's
 * title and description, a comment body, a person's name, an API key's name and a tag. The rule per character class:
 *  - RTL text and bidi controls, zero-width characters, emoji (ZWJ sequences, flags, skin tones,
 *    keycaps), combining marks (also a 300-mark grapheme cluster), astral letters, C0 controls,
 *    noncharacters: stored and read back exactly as sent (no normalisation, nothing dropped);
 *  - NUL (U+0000; PostgreSQL text cannot hold it) and lone UTF-16 surrogates (not Unicode text;
 *    UTF-8 encoding would silently turn them into U+FFFD): rejected with 400 validation_error
 *    whose issue names the field, and nothing is written;
 *  - tags are ASCII slugs by design: anything else is a 400 naming `tags.0`.
 * Search with every string answers 200 or 400, never a 5xx.
 */

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let key: string;

/** Strings the product must store and return unchanged. */
const KEEP: Record<string, string> = {
  "Arabic and Hebrew": "مرحبا بالعالم · שלום עולם",
  "bidi override U+202E": "invoice\u202Efdp.exe\u202C done",
  "bidi isolates and marks": "a\u2066b\u2067c\u2068d\u2069e\u200Ff\u200Eg\u061Ch",
  "zero-width space and joiners": "a\u200Bb\u200Cc\u200Dd\u2060e",
  "BOM inside the text": "a\uFEFFb",
  "emoji ZWJ family": "👩‍👩‍👧‍👦 family",
  "flags and rainbow flag": "🇩🇪🇯🇵🇺🇳 🏳️‍🌈 🏴‍☠️",
  "skin tones and keycaps": "👍🏽 1️⃣ #️⃣",
  "combining marks (decomposed é, not normalised)": "Cafe\u0301 vs Café",
  "zalgo": "Z̷̡̛̖̗̈́a̸͈͋l̴̰̈g̶̣̈́ö̵̱́",
  "one grapheme of 150 combining marks": `x${"\u0301\u0308".repeat(75)}y`,
  "astral letters": "𝕳𝖊𝖑𝖑𝖔 𠜎 𓂀",
  "C0 controls and ANSI escapes": "bell\u0007 esc\u001b[31mred\u001b[0m tab\tend",
  "noncharacters U+FFFE U+FFFF U+10FFFF": "a\uFFFEb\uFFFFc\uDBFF\uDFFFd",
  "replacement character": "a\uFFFDb",
};

/** Strings the product must reject clearly. */
const REJECT: Record<string, string> = {
  "NUL": "a\u0000b",
  "lone high surrogate": "a\uD800b",
  "lone low surrogate": "a\uDFFFb",
  "high surrogate at the end": "end\uD83D",
  "reversed surrogate pair": "a\uDE00\uD83Db",
};

beforeAll(async () => {
  db = testDb.db;
  admin = await makeActor(db, "unicode-admin@corp.test", "admin");
  const res = await call<{ ticket: { key: string } }>(ticketsRoute.POST, {
    path: "/api/tickets",
    key: admin.key,
    body: { title: "Unicode test ticket", description: "Comments with every kind of text go here", email: "unicode-req@corp.test" },
  });
  expect(res.status).toBe(201);
  key = res.body.ticket.key;
});

/** Assert a 400 validation_error whose issues name `field`, and that nothing was written. */
async function expectRejected(run: () => Promise<CallResult>, field: string, label: string): Promise<void> {
  const before = await dbFingerprint(db);
  const res = await run();
  const where = `${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect(res.status, where).toBe(400);
  expectErrorShape(res, where);
  const body = res.body as { error: { code: string; details: { issues?: { path: string; message: string }[] } } };
  expect(body.error.code, where).toBe("validation_error");
  expect(body.error.details.issues?.map((i) => i.path), where).toContain(field);
  expect(changedTables(before, await dbFingerprint(db)), `${where}: wrote`).toEqual([]);
}

async function getTicket(k: string) {
  const res = await call<{ ticket: { title: string; description: string }; comments: { body: string }[] }>(ticketRoute.GET, { path: `/api/tickets/${k}`, key: admin.key, params: { key: k } });
  expect(res.status).toBe(200);
  return res.body;
}

describe("Unicode that is text round-trips exactly", () => {
  it.each(Object.entries(KEEP))("%s: ticket title and description, comment body, person name", async (label, s) => {
    const title = `T ${s}`.slice(0, 200);
    const description = `Description: ${s} (end)`;
    const created = await call<{ ticket: { key: string } }>(ticketsRoute.POST, { path: "/api/tickets", key: admin.key, body: { title, description, email: "unicode-req@corp.test" } });
    expect(created.status, `${label}: ${JSON.stringify(created.body)}`).toBe(201);
    const t = await getTicket(created.body.ticket.key);
    expect(t.ticket.title).toBe(title);
    expect(t.ticket.description).toBe(description);

    const comment = `Comment ${s}.`;
    const c = await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: admin.key, params: { key }, body: { body: comment } });
    expect(c.status, `${label}: ${JSON.stringify(c.body)}`).toBe(201);
    expect((await getTicket(key)).comments.map((x) => x.body)).toContain(comment);

    const name = `Name ${s}`.slice(0, 120);
    const email = `u${Object.keys(KEEP).indexOf(label)}@unicode.example.com`;
    const u = await call<{ id: string }>(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email, name, role: "requester" } });
    expect(u.status, `${label}: ${JSON.stringify(u.body)}`).toBe(201);
    const got = await call<{ name: string }>(userRoute.GET, { path: `/api/admin/users/${u.body.id}`, key: admin.key, params: { id: u.body.id } });
    expect(got.status).toBe(200);
    expect(got.body.name).toBe(name);

    // Search with the string: an answer, never a 5xx.
    const q = await call(ticketsRoute.GET, { path: `/api/tickets?q=${encodeURIComponent(s.slice(0, 200))}`, key: admin.key });
    expect([200, 400], `${label}: search ${q.status} ${JSON.stringify(q.body).slice(0, 200)}`).toContain(q.status);
  });

  it("leading and trailing whitespace is trimmed by design; JavaScript's trim counts U+FEFF as whitespace, not U+200B", async () => {
    const title = "\uFEFF\u200B Printer offline \u200B\uFEFF";
    const created = await call<{ ticket: { key: string } }>(ticketsRoute.POST, { path: "/api/tickets", key: admin.key, body: { title, description: "The printer on floor 3 is offline", email: "unicode-req@corp.test" } });
    expect(created.status).toBe(201);
    expect((await getTicket(created.body.ticket.key)).ticket.title).toBe("\u200B Printer offline \u200B");
  });
});

describe("NUL and lone surrogates are rejected with a 400 naming the field, writing nothing", () => {
  it.each(Object.entries(REJECT))("%s", async (label, s) => {
    const ok = { title: "Printer offline", description: "The printer on floor 3 is offline", email: "unicode-req@corp.test" };
    await expectRejected(() => call(ticketsRoute.POST, { path: "/api/tickets", key: admin.key, body: { ...ok, title: `Title ${s}` } }), "title", `${label} in title`);
    await expectRejected(() => call(ticketsRoute.POST, { path: "/api/tickets", key: admin.key, body: { ...ok, description: `Description ${s} long enough` } }), "description", `${label} in description`);
    await expectRejected(() => call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: admin.key, params: { key }, body: { body: `Comment ${s}` } }), "body", `${label} in comment`);
    await expectRejected(() => call(usersRoute.POST, { path: "/api/admin/users", key: admin.key, body: { email: "reject@unicode.example.com", name: `Name ${s}`, role: "requester" } }), "name", `${label} in name`);
    await expectRejected(() => call(tagsRoute.PUT, { method: "PUT", path: `/api/tickets/${key}/tags`, key: admin.key, params: { key }, body: { tags: [`tag${s}`] } }), "tags.0", `${label} in tag`);
    await expectRejected(() => call(apiKeysRoute.POST, { path: "/api/admin/api-keys", key: admin.key, body: { name: `Key ${s}`, scopes: ["tickets:read"] } }), "name", `${label} in an API key name`);
    // The raw JSON escape reaches the server the same way as the decoded string.
    const raw = JSON.stringify({ body: `Comment ${s}` });
    expect(raw).toMatch(/\\u(0000|d[89a-f][0-9a-f]{2})/i);
    await expectRejected(() => call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: admin.key, params: { key }, raw }), "body", `${label} in a raw comment`);
  });
});

describe("tags are ASCII slugs: other text is refused naming the tag", () => {
  it.each(["vpn-ü", "ضوء", "👍", "a\u200Bb", "e\u0301"])("%s", async (tag) => {
    await expectRejected(() => call(tagsRoute.PUT, { method: "PUT", path: `/api/tickets/${key}/tags`, key: admin.key, params: { key }, body: { tags: ["ok", tag] } }), "tags.1", `tag ${tag}`);
  });

  it("an ASCII tag round-trips", async () => {
    const res = await call(tagsRoute.PUT, { method: "PUT", path: `/api/tickets/${key}/tags`, key: admin.key, params: { key }, body: { tags: ["vpn", "floor-3"] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = await call<{ tags: string[] }>(tagsRoute.GET, { path: `/api/tickets/${key}/tags`, key: admin.key, params: { key } });
    expect([...got.body.tags].sort()).toEqual(["floor-3", "vpn"]);
  });
});

/**
 * String fields where the sweep below accepts another clear 4xx: a lookup key that is simply not
 * found (404), and the category-examples body, a union of one example or a batch, whose zod
 * error is reported on the body as a whole.
 */
const SWEEP_EXCEPTIONS: Record<string, number> = {
  "POST macros/[id]/render ticketKey": 404,
  "POST categories/[slug]/examples title": 400,
  "POST categories/[slug]/examples description": 400,
};

describe("every string field of every JSON body route refuses NUL and lone surrogates, naming the field", () => {
  it("sweep: the valid body with NUL or U+D800 appended to one string field → 400 naming it, nothing written", async () => {
    const fx = await makeFixtures(db, "unicode");
    let fields = 0;
    for (const c of jsonRoutes("body")) {
      const valid = fx.valid[`${c.method} ${c.route}`] as Record<string, unknown>;
      expect(valid, `${c.method} ${c.route}: no valid body`).toBeDefined();
      const params = fx.params[c.route] ?? {};
      const actor = REQUESTER_ROUTES.has(`${c.method} ${c.route}`) ? fx.requester.key : fx.admin.key;
      for (const [field, v] of Object.entries(valid)) {
        if (typeof v !== "string") continue;
        fields++;
        for (const bad of ["\u0000", "\uD800"]) {
          const label = `${c.method} /api/${c.route} .${field} + ${JSON.stringify(bad)}`;
          const run = () => call(c.handler, { method: c.method, path: pathOf(c.route, params), params, key: actor, body: { ...valid, [field]: `${v}${bad}` } });
          const exception = SWEEP_EXCEPTIONS[`${c.method} ${c.route} ${field}`];
          if (exception === undefined) {
            await expectRejected(run, field, label);
          } else {
            const before = await dbFingerprint(db);
            const res = await run();
            expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(exception);
            expectErrorShape(res, label);
            expect(changedTables(before, await dbFingerprint(db)), `${label}: wrote`).toEqual([]);
          }
        }
      }
    }
    expect(fields).toBeGreaterThan(50);
  }, 120_000);
});
