import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import { autoAssign } from "@/lib/routing/assign/auto-assign";
import { resetProviderEmbeddingCache } from "@/lib/routing/assign/provider-embeddings";
import { rankCandidates } from "@/lib/routing/assign/rank";
import { startFakeEmbeddings, type EmbeddingBody } from "../fakes/embeddings-server";
import { useTestDb } from "../helpers/db";
import { clearEnv, setEnv } from "../triage/set-env";
import { addPerson, fileTicket } from "./assign-helpers";

const t = useTestDb();
const ENV = ["LLM_PROVIDER", "OPENAI_API_KEY", "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL", "LLM_MAX_RETRIES", "LLM_TIMEOUT_MS", "LLM_EMBEDDING_MODEL", "TRIAGE_MODE"];
let fake: Awaited<ReturnType<typeof startFakeEmbeddings>> | null = null;
beforeEach(() => {
  clearEnv(ENV);
  resetProviderEmbeddingCache();
});
afterEach(async () => {
  await fake?.close();
  fake = null;
  clearEnv(ENV);
});

// No skill of anyone is named in the ticket, so only the semantic part orders the candidates.
const ticket = { title: "It stopped working after lunch", description: "Nothing happens any more when I press the button. Reach me at sam@corp.test", teamSlug: "end-user-computing" };
// The fake provider "understands" that this ticket is about Macs: ticket and the Mac profile share a direction.
const embed = (text: string) => (/button|macos/i.test(text) ? [1, 0, 0] : /toner/i.test(text) ? [0, 1, 0] : [0, 0, 1]);

async function useFake(extra: Record<string, string> = {}) {
  fake = await startFakeEmbeddings(embed);
  setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "chat-model", LLM_API_KEY: "sk-fake-emb", LLM_MAX_RETRIES: "0", LLM_EMBEDDING_MODEL: "emb-model", ...extra });
  return fake;
}

beforeAll(async () => {
  await addPerson(t.db, { email: "battery@corp.test", team: "end-user-computing", skills: ["battery", "docking station"] });
  await addPerson(t.db, { email: "macs@corp.test", team: "end-user-computing", skills: ["MacBook", "macOS"] });
  await addPerson(t.db, { email: "printers@corp.test", team: "end-user-computing", skills: ["printers", "toner"] });
});

it("with LLM_EMBEDDING_MODEL the provider's embeddings make the semantic part; profiles are embedded once", async () => {
  const f = await useFake();
  const r = await rankCandidates(t.db, ticket, { rerank: false });
  expect(r.embeddings).toEqual({ status: "used", model: "emb-model" });
  expect(r.candidates.map((c) => [c.email, c.semantic])).toEqual([
    ["macs@corp.test", 1],
    ["battery@corp.test", 0],
    ["printers@corp.test", 0],
  ]);

  expect(f.requests).toHaveLength(1);
  const req = f.requests[0];
  const body = req.json as EmbeddingBody;
  expect(req.method).toBe("POST");
  expect(req.path).toBe("/v1/embeddings");
  expect(req.headers.authorization).toBe("Bearer sk-fake-emb");
  expect(body.model).toBe("emb-model");
  expect(body.encoding_format).toBe("float");
  const input = body.input as string[];
  expect(input[0]).toContain("It stopped working after lunch");
  expect(input[0]).toContain("[EMAIL]");
  expect(input[0]).not.toContain("sam@corp.test");
  expect(input.slice(1).sort()).toEqual(["MacBook, macOS. end-user-computing", "battery, docking station. end-user-computing", "printers, toner. end-user-computing"]);

  // Next ticket: only the ticket is sent; the profiles come from the cache.
  await rankCandidates(t.db, { ...ticket, title: "Toner?" }, { rerank: false });
  expect((f.requests[1].json as EmbeddingBody).input).toHaveLength(1);
});

it("lexical-only ranking and TRIAGE_MODE=local send nothing", async () => {
  const f = await useFake({ TRIAGE_MODE: "local" });
  const local = await rankCandidates(t.db, ticket, { rerank: false });
  expect(local.embeddings).toEqual({ status: "skipped", reason: "TRIAGE_MODE=local" });
  clearEnv(["TRIAGE_MODE"]);
  const lex = await rankCandidates(t.db, ticket, { rerank: false, semantic: false });
  expect(lex.embeddings.status).toBe("skipped");
  expect(f.requests).toHaveLength(0);
});

it("a provider failure falls back to the local embeddings and says why", async () => {
  const localOnly = await rankCandidates(t.db, ticket, { rerank: false });
  expect(localOnly.embeddings).toEqual({ status: "skipped", reason: "LLM_EMBEDDING_MODEL not set" });
  const f = await useFake();
  f.failNext({ kind: "status", status: 500 });
  const r = await rankCandidates(t.db, ticket, { rerank: false });
  expect(r.embeddings).toMatchObject({ status: "failed", model: "emb-model", reason: expect.stringMatching(/^HTTP 500/) });
  expect(r.candidates.map((c) => [c.email, c.semantic])).toEqual(localOnly.candidates.map((c) => [c.email, c.semantic]));
});

it("autoAssign records which embeddings were used", async () => {
  await useFake();
  const tk = await fileTicket(t.db, ticket.title, ticket.description, ticket.teamSlug);
  const r = await autoAssign(t.db, tk.id, { rerank: false });
  expect(r).toMatchObject({ status: "assigned", assignee: { email: "macs@corp.test" } });
  const [h] = await rows<{ details: Record<string, unknown> | string }>(
    t.db,
    sql`SELECT details FROM ticket_assignments WHERE ticket_id = ${tk.id} AND assignee_id IS NOT NULL`,
  );
  const details = typeof h.details === "string" ? (JSON.parse(h.details) as Record<string, unknown>) : h.details;
  expect(details).toMatchObject({ embeddings: { status: "used", model: "emb-model" }, semantic: 1 });
});
