import { expect, it } from "vitest";
import { bulkSummaryText } from "@/lib/tickets/bulk-summary";

it("names failed tickets with a short reason, at most five", () => {
  expect(bulkSummaryText({ results: [{ key: "T-1", ok: true }], summary: { ok: 1, failed: 0 } })).toBe("1 updated, 0 failed");
  expect(
    bulkSummaryText({
      results: [{ key: "T-1", ok: true }, { key: "T-9", ok: false, error: { code: "invalid_transition", message: "A closed ticket cannot move to open" } }],
      summary: { ok: 1, failed: 1 },
    }),
  ).toBe("1 updated, 1 failed: T-9 status does not allow it");
  const failed = Array.from({ length: 7 }, (_, i) => ({ key: `T-${i + 1}`, ok: false, error: { code: "not_found", message: "x" } }));
  expect(bulkSummaryText({ results: failed, summary: { ok: 0, failed: 7 } })).toBe(
    "0 updated, 7 failed: T-1 not found, T-2 not found, T-3 not found, T-4 not found, T-5 not found and 2 more",
  );
});
