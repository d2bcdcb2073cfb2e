import { afterEach, describe, expect, it } from "vitest";
import { llmConfig } from "@/lib/llm/config";
import { defaultModelPath } from "@/lib/triage/local/model";
import { hybridThreshold, reviewThreshold, triageModeSetting } from "@/lib/triage/pipeline";
import { clearEnv, setEnv } from "./set-env";

const KEYS = ["TRIAGE_MODE", "TRIAGE_REVIEW_THRESHOLD", "TRIAGE_HYBRID_THRESHOLD", "SWITCHBOARD_LOCAL_MODEL", "LLM_BASE_URL", "LLM_MODEL", "LLM_TIMEOUT_MS"];
afterEach(() => clearEnv(KEYS));

describe("triage settings come from lib/env.ts", () => {
  it("uses the documented defaults", () => {
    clearEnv(KEYS);
    expect(reviewThreshold()).toBe(0.8);
    expect(hybridThreshold()).toBe(0.6);
    expect(triageModeSetting()).toBe("local");
    expect(llmConfig()).toBeNull();
    expect(defaultModelPath()).toMatch(/lib\/triage\/local\/artifacts\/category-model\.bin$/);
  });

  it("reads the variables, and defaults to hybrid once an LLM is configured", () => {
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "0.3", TRIAGE_HYBRID_THRESHOLD: "0.8", SWITCHBOARD_LOCAL_MODEL: "/tmp/model.bin", LLM_BASE_URL: "http://127.0.0.1:9/v1", LLM_MODEL: "m" });
    expect(reviewThreshold()).toBe(0.3);
    expect(hybridThreshold()).toBe(0.8);
    expect(defaultModelPath()).toBe("/tmp/model.bin");
    expect(triageModeSetting()).toBe("hybrid");
    expect(llmConfig()).toMatchObject({ provider: "openai-compatible", model: "m", timeoutMs: 8000 });
    setEnv({ TRIAGE_MODE: "local" });
    expect(triageModeSetting()).toBe("local");
  });

  it("rejects invalid values instead of silently falling back", () => {
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "1.5" });
    expect(() => reviewThreshold()).toThrow(/Invalid environment[\s\S]*TRIAGE_REVIEW_THRESHOLD/);
    setEnv({ TRIAGE_REVIEW_THRESHOLD: "0.5", TRIAGE_MODE: "sometimes" });
    expect(() => triageModeSetting()).toThrow(/TRIAGE_MODE/);
    setEnv({ TRIAGE_MODE: "llm", LLM_TIMEOUT_MS: "5" });
    expect(() => llmConfig()).toThrow(/LLM_TIMEOUT_MS/);
  });
});
