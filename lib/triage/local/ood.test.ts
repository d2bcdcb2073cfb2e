import { describe, expect, it } from "vitest";
import { loadLocalModel } from "./model";
import { normalizeTicketText } from "./normalize";
import { oodTemperatureFactor, unknownShare } from "./ood";

const model = loadLocalModel();
/** The default review threshold (lib/env.ts TRIAGE_REVIEW_THRESHOLD). */
const REVIEW_THRESHOLD = 0.8;
const confidence = (title: string, description: string): number => model.predict(normalizeTicketText({ title, description })).confidence;

describe("out-of-distribution shrink", () => {
  it("measures the idf-weighted share of words the model cannot read", () => {
    expect(unknownShare(model.featurizer, "password reset account locked")).toBe(0);
    expect(unknownShare(model.featurizer, "")).toBe(1);
    expect(unknownShare(model.featurizer, "zxqv blorptangle")).toBe(1);
    const mixed = unknownShare(model.featurizer, "password reset zxqv");
    expect(mixed).toBeGreaterThan(0.2);
    expect(mixed).toBeLessThan(0.8);
    expect(oodTemperatureFactor(0)).toBe(1);
    expect(oodTemperatureFactor(2, 5)).toBe(6); // share is clamped to [0, 1]
  });

  it("never puts garbage or off-topic text above the review threshold", () => {
    const offTopic: [string, string][] = [
      ["asdf", "qwertz uiop zxcvb hjkl"],
      ["", "🙂🙂🙂 !!! ???"],
      ["Lorem ipsum", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor."],
      ["Recipe", "Preheat the oven to 180 degrees, whisk three eggs with sugar and fold in the flour."],
      ["Football", "What a match last night! The striker scored twice before half-time."],
      ["Holiday photos", "Our trip to Lisbon was lovely, the beaches and the pastel de nata were amazing."],
      ["Poem", "Shall I compare thee to a summer's day? Thou art more lovely and more temperate."],
    ];
    for (const [t, d] of offTopic) expect(confidence(t, d), `${t}: ${d}`).toBeLessThan(REVIEW_THRESHOLD);
  });

  it("leaves a ticket the model can read fully, and every corpus-style text, at its calibrated confidence", () => {
    const corpus = "password reset hello guys have encountered some issues while accessing today after several attempts seems blocked could you help please with resetting password thanks";
    expect(unknownShare(model.featurizer, corpus)).toBe(0);
    const before = model.oodBeta;
    try {
      const shrunk = model.predict(corpus).confidence;
      model.oodBeta = 0;
      expect(model.predict(corpus).confidence).toBeCloseTo(shrunk, 10);
    } finally {
      model.oodBeta = before;
    }
  });

  it("lowers the confidence of a ticket whose topic words are unknown to the model", () => {
    const text = normalizeTicketText({ title: "New phone, MFA", description: "I got a new phone and need to reset my MFA so I can log in." });
    const before = model.oodBeta;
    try {
      const shrunk = model.predict(text).confidence;
      model.oodBeta = 0;
      expect(shrunk).toBeLessThan(model.predict(text).confidence - 0.1);
    } finally {
      model.oodBeta = before;
    }
  });
});
