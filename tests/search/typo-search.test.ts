import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { rows, type Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import { splitHighlight } from "@/components/tickets/highlight";
import { editDistance } from "@/lib/search/edit-distance";
import { findCorrections } from "@/lib/search/corrections";
import { correctableWords } from "@/lib/search/query-words";
import { emailPart } from "@/lib/search/requesters";
import { foldSearchTerms } from "@/lib/search/vocabulary";
import { useTestDb } from "../helpers/db";
import { makeActor, makeDeskActors, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let agent: Actor;
let jane: Actor;
const keys: Record<string, string> = {};

interface Item {
  key: string;
  highlight?: { title: string; snippet: string | null };
}

const list = async (q: string, key = agent.key) => {
  const res = await call(ticketsRoute.GET, { path: `/api/tickets?q=${encodeURIComponent(q)}&limit=100`, key });
  expect(res.status, q).toBe(200);
  return res.body.items as Item[];
};
const keysOf = (items: Item[]) => items.map((i) => i.key);
const marked = (s: string) => [...s.matchAll(/\u0001([^\u0002]*)\u0002/g)].map((m) => m[1].toLowerCase());
/** A word's vocabulary count as a typo lookup sees it (pending words folded first). */
const docCount = async (term: string) => {
  await foldSearchTerms(db);
  return (await rows<{ n: number }>(db, sql`SELECT doc_count AS n FROM search_terms WHERE term = ${term}`))[0]?.n ?? null;
};
const pendingRows = async () => (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM search_terms_pending`))[0].n;

beforeAll(async () => {
  db = testDb.db;
  ({ agent } = await makeDeskActors(db));
  jane = await makeActor(db, "jane.whitfield@northwind.test", "requester");
  await db.execute(sql`UPDATE users SET name = 'Jane Whitfield' WHERE id = ${jane.id}`);
  const specs = [
    { tag: "printer", email: "bob@corp.test", title: "Printer jammed on floor three", description: "The office printer jammed again; paper stuck in tray two" },
    { tag: "password", email: "alice@corp.test", title: "Password reset link expired", description: "I asked for a password reset but the link expired before I could use it" },
    { tag: "jane", email: jane.email, title: "Monitor flickers", description: "My second monitor flickers every few seconds" },
    { tag: "plotter", email: "carol@corp.test", title: "Plotter offline", description: "The plotter in the design studio shows offline" },
  ];
  for (const s of specs) {
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title: s.title, description: s.description, email: s.email } });
    expect(res.status).toBe(201);
    keys[s.tag] = res.body.ticket.key;
  }
});

describe("typo-tolerant search", () => {
  it("finds a ticket with a typo in one word and in two words", async () => {
    expect(keysOf(await list("pritner"))).toEqual([keys.printer]);
    expect(keysOf(await list("tary"))).toEqual([keys.printer]); // "tray": a swap in a short word, which trigrams alone miss
    expect(keysOf(await list("pritner jamed"))).toEqual([keys.printer]);
    expect(keysOf(await list("pasword resett"))).toEqual([keys.password]);
  });

  it("highlights the corrected words in the title and the description", async () => {
    const [hit] = await list("pritner jamed");
    expect(marked(hit.highlight!.title)).toEqual(["printer", "jammed"]);
    expect(marked(hit.highlight!.snippet!)).toEqual(expect.arrayContaining(["printer", "jammed"]));
    expect(hit.highlight!.title.replace(/[\u0001\u0002]/g, "")).toBe("Printer jammed on floor three");
  });

  it("keeps exact search as it was: stemming, phrases, exclusions", async () => {
    expect(keysOf(await list("printers"))).toEqual([keys.printer]);
    expect(keysOf(await list('"password reset"'))).toEqual([keys.password]);
    expect(keysOf(await list('"pasword reset"'))).toEqual([]); // quoted phrases stay exact
    expect(keysOf(await list("offline -plotter"))).toEqual([]);
    expect(keysOf(await list("paper -pritner"))).toEqual([keys.printer]); // an exclusion is not widened
    const [exact] = await list("monitor");
    expect(marked(exact.highlight!.title)).toEqual(["monitor"]);
    expect(exact.highlight!.snippet).not.toBeNull();
  });

  it("finds nothing for a word with no close match", async () => {
    expect(await list("zqxwvy")).toEqual([]);
    expect(await list("printer zqxwvy")).toEqual([]);
  });

  it("finds requesters by part of their e-mail and by a misspelt name", async () => {
    expect(keysOf(await list("whitfield@north"))).toEqual([keys.jane]);
    expect(keysOf(await list("@northwind.test"))).toEqual([keys.jane]);
    expect(keysOf(await list("Jane Whitfeild"))).toEqual([keys.jane]);
    expect(keysOf(await list("whitfield"))).toEqual([keys.jane]);
    const [hit] = await list("Jane Whitfeild");
    expect(hit.highlight!.snippet).toBeNull(); // matched by requester, not by text
  });

  it("answers 200 without error for injection-ish input", async () => {
    for (const q of ["'; drop table tickets; --", ":*", "&|!", "printer:*", "\\", "(((", '"', "-", "\u0001\u0002", "or or", "x".repeat(200)]) {
      await list(q);
    }
    expect(keysOf(await list("pritner & | !"))).toEqual([keys.printer]);
  });

  it("grows the vocabulary when a ticket is created and when its text is edited", async () => {
    expect(await docCount("quokka")).toBeNull();
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title: "Quokka badge reader", description: "The quokka badge reader at the door is dead", email: "bob@corp.test" } });
    expect(res.status).toBe(201);
    expect(await docCount("quokka")).toBe(1);
    expect(await docCount("badge")).toBe(1);
    expect(keysOf(await list("quoka"))).toEqual([res.body.ticket.key]);

    // The API does not edit texts; the trigger covers any writer (imports, other instances).
    await db.execute(sql`UPDATE tickets SET description = description || '; the quokka sticker fell off' WHERE id = ${Number(keys.plotter.slice(2))}`);
    expect(await docCount("quokka")).toBe(2); // a new word in an edit counts the ticket
    expect(await docCount("plotter")).toBe(1); // words the ticket already had do not count twice
  });

  it("writes a ticket's words without touching the vocabulary, and folds them once, exactly", async () => {
    await foldSearchTerms(db);
    const texts = ["Wombat scanner offline", "Wombat scanner jams", "Wombat dongle lost"];
    for (const title of texts) {
      const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title, description: `${title} again today`, email: "bob@corp.test" } });
      expect(res.status).toBe(201);
    }
    // The ticket write only appends to the pending list: nothing in the vocabulary yet.
    expect(await pendingRows()).toBe(3);
    expect((await rows(db, sql`SELECT 1 FROM search_terms WHERE term = 'wombat'`)).length).toBe(0);
    // Concurrent folds: one takes the lock, the others return 0; no word is counted twice.
    const moved = await Promise.all([foldSearchTerms(db), foldSearchTerms(db), foldSearchTerms(db)]);
    expect(moved.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await pendingRows()).toBe(0);
    expect(await docCount("wombat")).toBe(3);
    expect(await docCount("scanner")).toBe(2);
    expect(await docCount("dongle")).toBe(1);
    expect(await foldSearchTerms(db)).toBe(0);
    // A typo lookup reads the pending words too: a new ticket is found by a misspelt word
    // straight away, and the search writes nothing (the words wait for a worker's fold).
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title: "Platypus kiosk frozen", description: "The platypus kiosk in the lobby is frozen", email: "bob@corp.test" } });
    expect(await pendingRows()).toBe(1);
    expect(keysOf(await list("platypsu"))).toEqual([res.body.ticket.key]);
    expect(await pendingRows()).toBe(1);
    // Folded and pending tickets both count: "dongle" (1 folded + 2 pending) is not rare, so it
    // gets no corrections itself, and the misspelt "dongel" is corrected to it.
    for (const title of ["Dongle missing", "Dongle broken"]) {
      await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title, description: `${title} since Monday`, email: "bob@corp.test" } });
    }
    const corrections = await findCorrections(db, ["dongle", "dongel"]);
    expect(corrections.get("dongle")).toBeUndefined();
    expect(corrections.get("dongel")).toEqual(["dongle"]);
    expect(await docCount("dongle")).toBe(3);
  });

  it("a typo lookup during a worker's fold in progress finds its words without waiting for it (PostgreSQL)", async (ctx) => {
    if (testDb.kind !== "postgres") ctx.skip();
    const res = await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title: "Numbat turnstile stuck", description: "The numbat turnstile at gate four is stuck", email: "bob@corp.test" } });
    expect(res.status).toBe(201);
    // Another instance's periodic fold has taken the lock and moved the new words, not yet committed.
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let folded!: () => void;
      const inFold = new Promise<void>((r) => (folded = r));
      const fold = other.begin(async (tx) => {
        await tx`SELECT sb_fold_search_terms()`;
        folded();
        await held;
      });
      await inFold;
      // The lookup runs while that fold is open and must find the ticket by "nubmat" before the
      // fold commits (its snapshot still has the words in the pending list).
      const found = await Promise.race([list("nubmat"), new Promise<"waited">((r) => setTimeout(() => r("waited"), 5000))]);
      release();
      await fold;
      expect(found === "waited" ? found : keysOf(found)).toEqual([res.body.ticket.key]);
      expect(keysOf(await list("nubmat"))).toEqual([res.body.ticket.key]);
    } finally {
      await other.end();
    }
  });

  it("rebuilds the vocabulary with exact counts and drops the pending words it counted", async () => {
    await call(ticketsRoute.POST, { path: "/api/tickets", key: agent.key, body: { title: "Echidna router", description: "Echidna router blinks", email: "bob@corp.test" } });
    expect(await pendingRows()).toBe(1);
    await db.execute(sql`SELECT sb_rebuild_search_terms()`);
    expect(await pendingRows()).toBe(0);
    expect(await docCount("echidna")).toBe(1);
    expect(await docCount("wombat")).toBe(3);
  });

  it("indexes folded words at once: the vocabulary's trigram index has no pending list (migration 0019)", async () => {
    // GIN's fastupdate list is scanned by every lookup until a vacuum empties it: 38 ms per
    // typo lookup with 3,000 pending words, 3 ms without (docs/RELIABILITY.md, Load).
    const [idx] = await rows<{ options: string[] | null }>(db, sql`SELECT reloptions AS options FROM pg_class WHERE relname = 'search_terms_trgm_idx'`);
    expect(idx.options).toContain("fastupdate=false");
  });
});

describe("query helpers", () => {
  it("corrects only plain words", () => {
    expect(correctableWords('Pritner, "pasword reset" -tonner or jamed 42 win10 e-mail abc')).toEqual(["pritner", "jamed"]);
  });
  it("measures edits with adjacent swaps as one", () => {
    expect(editDistance("pritner", "printer")).toBe(1);
    expect(editDistance("pasword", "password")).toBe(1);
    expect(editDistance("resett", "reset")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("kitten", "sitting", 1)).toBe(2);
  });
  it("splits highlighted text into marked runs, tolerating stray markers", () => {
    expect(splitHighlight("a \u0001printer\u0002 <b>x</b>")).toEqual([
      { text: "a ", mark: false },
      { text: "printer", mark: true },
      { text: " <b>x</b>", mark: false },
    ]);
    expect(splitHighlight("\u0002x\u0001y")).toEqual([{ text: "x", mark: false }, { text: "y", mark: true }]);
  });
  it("recognises parts of e-mail addresses", () => {
    expect(emailPart("Jane.Doe@Acme")).toBe("jane.doe@acme");
    expect(emailPart("@acme.com")).toBe("@acme.com");
    expect(emailPart("printer jammed")).toBeNull();
    expect(emailPart("@.")).toBeNull();
  });
});
