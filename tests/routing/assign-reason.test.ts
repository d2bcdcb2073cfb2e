import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { AssignmentReason } from "@/components/tickets/assignment-reason";
import { candidateReason, nobodyReason } from "@/lib/routing/assign/reason";

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'");

describe("assignment reason text", () => {
  it("names the matched skills, the load before the assignment over the capacity, and the hours", () => {
    expect(candidateReason("auto", { matchedSkills: ["vpn", "cisco"], load: 3, capacity: 8, inHours: true })).toBe("matched: vpn, cisco; load 3/8; in hours");
    expect(candidateReason("auto", { matchedSkills: [], load: 0, capacity: 5, inHours: true }, { reranked: true })).toBe(
      "no listed skill named in the ticket; closest profile; load 0/5; in hours; LLM rerank",
    );
    expect(candidateReason("round_robin", { matchedSkills: ["x"], load: 1, capacity: 2, inHours: true })).toBe("round robin (least recently assigned); load 1/2; in hours");
    const long = candidateReason("auto", { matchedSkills: Array.from({ length: 40 }, (_, i) => `skill number ${i}`), load: 1, capacity: 2, inHours: true });
    expect(long.length).toBe(200);
    expect(long.endsWith("…")).toBe(true);
  });
  it("says why nobody was eligible", () => {
    expect(nobodyReason([])).toBe("nobody eligible: no active team member linked to an agent");
    expect(nobodyReason([{ excluded: "out_of_hours" }, { excluded: "at_capacity" }, { excluded: "out_of_hours" }])).toBe("nobody eligible: 2 out of hours, 1 at capacity");
  });
});

describe("AssignmentReason on the ticket page", () => {
  const base = { mode: "auto" as const, at: "2026-12-02T12:00:00Z", current: true, rerank: null };
  it("shows who and why", () => {
    const html = renderToStaticMarkup(createElement(AssignmentReason, { info: { ...base, assigneeName: "Maria", reason: "matched: vpn, cisco; load 3/8; in hours" } }));
    expect(text(html)).toBe("Auto-assigned to Maria: matched: vpn, cisco; load 3/8; in hours");
  });
  it("says when an agent changed it since, and shows the rerank line", () => {
    const html = renderToStaticMarkup(
      createElement(AssignmentReason, { info: { ...base, mode: "round_robin", assigneeName: "Otto", reason: "round robin (least recently assigned); load 1/2; in hours", current: false, rerank: "LLM rerank (m): because" } }),
    );
    expect(text(html)).toBe("Auto-assigned to Otto: round robin (least recently assigned); load 1/2; in hours (since changed by an agent)LLM rerank (m): because");
  });
  it("shows why nobody was assigned, and nothing without an automatic assignment", () => {
    const html = renderToStaticMarkup(createElement(AssignmentReason, { info: { ...base, assigneeName: null, reason: "nobody eligible: 2 out of hours" } }));
    expect(text(html)).toBe("Auto-assignment found nobody: 2 out of hours");
    expect(renderToStaticMarkup(createElement(AssignmentReason, { info: null }))).toBe("");
  });
});
