import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { categories } from "@/db/schema";
import { SEED_CATEGORIES, SEED_TEAMS } from "@/db/seed";
import { parseCommand } from "@/lib/assistant/grammar";
import { buildGrammarContext, interpretCommand } from "@/lib/assistant/interpret";
import { REFUSED_MESSAGE } from "@/lib/assistant/llm/interpret-llm";
import { createChatClient } from "@/lib/llm/client";
import { llmConfig } from "@/lib/llm/config";
import { invalidateReferenceData } from "@/lib/reference/cache";
import { useFakeLlmEnv, type Reply } from "../fakes/llm-server";
import { useTestDb } from "../helpers/db";
import { clearEnv, setEnv } from "../triage/set-env";

/*
 * Which interpreter answers: the grammar without an LLM, the LLM (loopback fake) with one, the
 * grammar again when the LLM call fails, and a refusal (not the grammar) when the LLM answers
 * with a malformed tool call.
 */

const t = useTestDb();
const llm = useFakeLlmEnv(["SLA_TIME_ZONE"]);
const LLM_ENV = llm.keys;

const NOW = new Date("2026-12-02T09:30:00Z");
const TEXT = "show T-5";

const withFake = (reply: Reply, env: (url: string) => Record<string, string>) => llm.start(reply, env);
const compatible = (url: string) => ({ LLM_BASE_URL: `${url}/v1`, LLM_MODEL: "llama3.1:8b", LLM_MAX_RETRIES: "1" });
const groq = (url: string) => ({ GROQ_API_KEY: "gsk_fakekeyfakekeyfakekey0000", LLM_BASE_URL: url, LLM_MAX_RETRIES: "0" });

describe("buildGrammarContext", () => {
  it("carries the active categories, the teams, the ticket on screen, now and SLA_TIME_ZONE", async () => {
    setEnv({ SLA_TIME_ZONE: "America/New_York" });
    const retired = SEED_CATEGORIES[0].slug;
    await t.db.update(categories).set({ active: false }).where(eq(categories.slug, retired));
    invalidateReferenceData();
    try {
      const ctx = await buildGrammarContext(t.db, { ticketKey: "T-9", now: NOW });
      expect(ctx.now).toBe(NOW);
      expect(ctx.timeZone).toBe("America/New_York");
      expect(ctx.ticketKey).toBe("T-9");
      expect(ctx.categories.map((c) => c.slug).sort()).toEqual(SEED_CATEGORIES.map((c) => c.slug).filter((s) => s !== retired).sort());
      expect(ctx.categories[0]).toEqual({ slug: expect.any(String), name: expect.any(String) });
      expect(ctx.teams.map((x) => x.slug).sort()).toEqual(SEED_TEAMS.map((x) => x.slug).sort());
    } finally {
      await t.db.update(categories).set({ active: true }).where(eq(categories.slug, retired));
      invalidateReferenceData();
    }
  });

  it("without SLA_TIME_ZONE uses the server's zone and no ticket", async () => {
    const ctx = await buildGrammarContext(t.db);
    expect(ctx.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
    expect(ctx).not.toHaveProperty("ticketKey");
    expect(Math.abs(ctx.now.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe("interpretCommand", () => {
  const ctx = () => buildGrammarContext(t.db, { now: NOW });

  it("answers from the grammar when no LLM is configured: provider grammar, no tokens", async () => {
    const c = await ctx();
    const r = await interpretCommand(t.db, TEXT, c);
    expect(r.result).toEqual(parseCommand(TEXT, c));
    expect(r.result).toEqual({ kind: "op", op: { op: "show", key: "T-5" } });
    expect(r.provenance).toMatchObject({ provider: "grammar", model: null, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    expect(r.fallbackReason).toBeUndefined();
  });

  it("asks the configured LLM and uses its tool call", async () => {
    const f = await withFake({ kind: "tool_calls", calls: [{ name: "show", arguments: '{"key":"T-5"}' }], promptTokens: 700, completionTokens: 20 }, compatible);
    setEnv({ LLM_PRICE_INPUT_PER_MTOK: "3", LLM_PRICE_OUTPUT_PER_MTOK: "4" });
    const r = await interpretCommand(t.db, "what's going on with T-5?", await ctx(), { history: [{ role: "user", content: "hi" }] });
    expect(f.requests).toHaveLength(1);
    expect(f.requests[0].body.messages!.map((m) => m.role)).toEqual(["system", "user", "user"]);
    expect(r.result).toEqual({ kind: "op", op: { op: "show", key: "T-5" } });
    expect(r.provenance).toMatchObject({ provider: "openai-compatible", model: "llama3.1:8b", promptTokens: 700, completionTokens: 20 });
    expect(r.provenance.costUsd).toBeCloseTo((700 * 3 + 20 * 4) / 1e6, 12);
    expect(r.fallbackReason).toBeUndefined();
  });

  it("falls back to the grammar when the LLM answers 500 (after the SDK's retries)", async () => {
    const f = await withFake({ kind: "status", status: 500 }, compatible);
    const c = await ctx();
    const r = await interpretCommand(t.db, TEXT, c);
    expect(f.requests).toHaveLength(2); // LLM_MAX_RETRIES=1
    expect(r.result).toEqual(parseCommand(TEXT, c));
    expect(r.provenance).toMatchObject({ provider: "grammar", promptTokens: 0, completionTokens: 0, costUsd: 0 });
    expect(r.fallbackReason).toBe("openai-compatible:server_error");
  });

  it("falls back to the grammar when the LLM hangs past LLM_TIMEOUT_MS (groq)", async () => {
    await withFake({ kind: "hang" }, (url) => ({ ...groq(url), LLM_TIMEOUT_MS: "300" }));
    const c = await ctx();
    const r = await interpretCommand(t.db, TEXT, c);
    expect(r.result).toEqual(parseCommand(TEXT, c));
    expect(r.provenance.provider).toBe("grammar");
    expect(r.fallbackReason).toBe("groq:timeout");
  });

  it("refuses a malformed tool call instead of asking the grammar, keeping the call's tokens", async () => {
    await withFake({ kind: "tool_calls", calls: [{ name: "show", arguments: '{"key":"5"}' }], promptTokens: 650, completionTokens: 15 }, groq);
    const r = await interpretCommand(t.db, TEXT, await ctx());
    expect(r.result).toEqual({ kind: "unknown", message: REFUSED_MESSAGE });
    expect(r.provenance).toMatchObject({ provider: "groq", promptTokens: 650, completionTokens: 15 });
    expect(r.provenance.costUsd).toBeGreaterThan(0);
    expect(r.fallbackReason).toMatch(/^groq:refused: show: key /);
  });

  it("uses an injected client, and client null forces the grammar even with an LLM configured", async () => {
    const f = await withFake({ kind: "tool_calls", calls: [{ name: "help", arguments: "{}" }] }, compatible);
    const client = createChatClient(llmConfig()!);
    const forced = await interpretCommand(t.db, TEXT, await ctx(), { client: null });
    expect(forced.provenance.provider).toBe("grammar");
    expect(f.requests).toHaveLength(0);
    clearEnv(LLM_ENV); // nothing configured: only the injected client can reach the fake
    const injected = await interpretCommand(t.db, "help", await ctx(), { client });
    expect(injected.result).toEqual({ kind: "op", op: { op: "help" } });
    expect(injected.provenance.provider).toBe("openai-compatible");
    expect(f.requests).toHaveLength(1);
  });

  it("never calls an LLM with TRIAGE_MODE=local, and says why when the LLM settings are inconsistent", async () => {
    const f = await withFake({ kind: "tool_calls", calls: [{ name: "help", arguments: "{}" }] }, (url) => ({ ...compatible(url), TRIAGE_MODE: "local" }));
    const local = await interpretCommand(t.db, TEXT, await ctx());
    expect(local.provenance.provider).toBe("grammar");
    expect(local.fallbackReason).toBeUndefined();
    expect(f.requests).toHaveLength(0);
    clearEnv(LLM_ENV);
    setEnv({ LLM_PROVIDER: "groq" }); // no key
    const broken = await interpretCommand(t.db, TEXT, await ctx());
    expect(broken.provenance.provider).toBe("grammar");
    expect(broken.fallbackReason).toMatch(/^LLM misconfigured: .*GROQ_API_KEY/);
  });
});
