import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEvalCsv, evaluateClassifier } from "@/lib/triage/local/evaluate";
import { createLlmModeClassifier } from "@/lib/triage/eval-modes";
import { localModel } from "@/lib/triage/local-classifier";
import { startFakeLlm } from "../fakes/llm-server";
import { clearEnv, setEnv } from "./set-env";

const fixture = path.resolve("lib/triage/local/fixtures/eval-sample.csv");
// Few-shot examples from the 2,000 labelled tickets shipped in the repo (columns id,text,label),
// so this test never depends on ../shared (a different file from the evaluated fixture).
const shippedExamples = path.resolve("db/seed-data/it-tickets-sample.csv");
const ENV = ["LLM_BASE_URL", "LLM_MODEL", "LLM_FEWSHOT_K"];

/** Run scripts/eval.mts in a child process without blocking this one (the fake LLM lives here). */
function evalScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "./scripts/lib/server-only-register.mjs", "--import", "tsx", "scripts/eval.mts", ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
afterAll(() => {
  clearEnv(ENV);
});

describe("npm run eval --mode llm|hybrid", () => {
  it("llm mode asks the LLM for every ticket, counts calls and tokens, and sends nearest training examples", async () => {
    // the fake answers with the gold label of the ticket it is asked about when it can find it, else 'hardware'
    const examples = readEvalCsv(fixture);
    const fake = await startFakeLlm(() => ({ kind: "json", content: JSON.stringify({ category: "hardware", confidence: 0.7 }), promptTokens: 100, completionTokens: 10 }));
    setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "fake", LLM_FEWSHOT_K: "3" });
    try {
      const classify = createLlmModeClassifier("llm", localModel(), { threshold: 0.6, examplesCsv: shippedExamples, maxExamples: 2000 });
      const report = await evaluateClassifier(examples, classify);
      expect(report.summary.n).toBe(examples.length);
      expect(report.summary.llmCalls).toBe(examples.length);
      expect(report.summary.tokens).toBe(examples.length * 110);
      expect(fake.requests).toHaveLength(examples.length);
      const user = fake.requests[0].body.messages![1].content;
      expect(user).toContain("Labelled tickets from this organisation");
      expect((user.match(/\nCategory: /g) ?? []).length + (user.startsWith("Category: ") ? 1 : 0)).toBe(3);
      const hardwareShare = examples.filter((e) => e.label === "hardware").length / examples.length;
      expect(report.summary.accuracy).toBeCloseTo(hardwareShare, 9);
    } finally {
      await fake.close();
    }
  });

  it("counts the tokens of answers that fail the JSON check, and answers from the local model", async () => {
    const examples = readEvalCsv(fixture).slice(0, 5);
    const fake = await startFakeLlm(() => ({ kind: "json", content: "not json", promptTokens: 90, completionTokens: 4 }));
    setEnv({ LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "fake", LLM_FEWSHOT_K: "0" });
    try {
      const report = await evaluateClassifier(examples, createLlmModeClassifier("llm", localModel(), { threshold: 0.6, examplesCsv: null }));
      expect(report.summary.llmCalls).toBe(examples.length);
      expect(report.summary.tokens).toBe(examples.length * 94);
    } finally {
      await fake.close();
    }
  });

  it("hybrid mode calls the LLM only under the threshold; the script prints the JSON summary last", async () => {
    const fake = await startFakeLlm(() => ({ kind: "json", content: JSON.stringify({ category: "access", confidence: 0.8 }), promptTokens: 50, completionTokens: 5 }));
    try {
      const env = { ...process.env, LLM_BASE_URL: `${fake.url}/v1`, LLM_MODEL: "fake", LLM_FEWSHOT_K: "0" };
      const run = (threshold: string) => evalScript(["--data", fixture, "--mode", "hybrid", "--threshold", threshold], env);
      const never = await run("0");
      expect(never.status, never.stderr).toBe(0);
      const last = JSON.parse(never.stdout.trim().split("\n").pop()!);
      expect(Object.keys(last)).toEqual(["n", "accuracy", "macroF1", "ece", "p50Ms", "p99Ms", "llmCalls", "tokens", "reviewThreshold", "flaggedShare", "unflaggedAccuracy"]);
      expect(last.llmCalls).toBe(0);
      expect(fake.requests).toHaveLength(0);
      const always = JSON.parse((await run("1")).stdout.trim().split("\n").pop()!);
      expect(always.llmCalls).toBe(always.n);
      expect(always.tokens).toBe(always.n * 55);
      expect(fake.requests).toHaveLength(always.n);
      const noLlm = await evalScript(["--data", fixture, "--mode", "llm"], { ...process.env, LLM_BASE_URL: "", LLM_MODEL: "" });
      expect(noLlm.status).toBe(1);
      expect(noLlm.stderr).toContain("needs an LLM");
    } finally {
      await fake.close();
    }
  }, 120_000);
});
