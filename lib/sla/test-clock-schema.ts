import { z } from "zod";

/**
 * POST /api/test/clock body (test-only route, not in OpenAPI): move the SLA test clock's
 * offset by `advanceS` seconds or set it to `setS` seconds (exactly one of them), and with
 * `sweep: true` run the SLA breach sweep at the moved time before answering.
 */
export const TestClockSchema = z
  .strictObject({
    advanceS: z.number().int().min(-31_536_000).max(31_536_000).optional().describe("Seconds to add to the offset (may be negative)"),
    setS: z.number().int().min(-31_536_000).max(31_536_000).optional().describe("The new offset in seconds (0 = real time)"),
    sweep: z.boolean().optional().describe("Run the SLA breach sweep at the new time"),
  })
  .refine((b) => b.sweep === true || (b.advanceS === undefined) !== (b.setS === undefined), {
    message: "Send either advanceS or setS (or only sweep: true)",
  })
  .refine((b) => b.advanceS === undefined || b.setS === undefined, { message: "Send either advanceS or setS, not both" });
export type TestClockBody = z.infer<typeof TestClockSchema>;
