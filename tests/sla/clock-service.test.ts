import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { businessCalendars, ticketSlas } from "@/db/schema";
import { CALENDAR_BUSINESS_HOURS } from "@/db/seed";
import { createTicket } from "@/lib/tickets/create-ticket";
import { recomputeTicketSla } from "@/lib/sla/clock-service";
import { useTestDb } from "../helpers/db";

const testDb = useTestDb();
let db: Db;

const text = { title: "VPN disconnects every hour", description: "Since Monday my VPN drops every hour and I lose my session" };
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function file(priority: "P1" | "P2" | "P3" | "P4", createdAt: Date, extra: Record<string, unknown> = {}) {
  const { ticket } = await createTicket(
    db,
    { ...text, email: "alice@corp.test", priority, category: "hardware", ...extra },
    { principal: null, defaultSource: "api", createdAt, now: createdAt },
  );
  return { key: ticket.key, id: Number(ticket.key.slice(2)), ticket };
}
async function clock(id: number) {
  const [r] = await db.select().from(ticketSlas).where(eq(ticketSlas.ticketId, id));
  return r ?? null;
}

beforeAll(async () => {
  db = testDb.db;
  await db.update(businessCalendars).set({ timeZone: "Europe/Berlin" }).where(eq(businessCalendars.name, CALENDAR_BUSINESS_HOURS));
});

describe("due times on create", () => {
  it("P1 on 24×7: first response created + 15 min, resolution + 4 h, warnings at 80 %", async () => {
    const t0 = new Date("2026-12-01T10:00:00Z");
    const { id, ticket } = await file("P1", t0);
    const c = await clock(id);
    expect(c?.policyName).toBe("P1 critical");
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-01T10:15:00.000Z");
    expect(iso(c?.firstResponseWarnAt)).toBe("2026-12-01T10:12:00.000Z");
    expect(iso(c?.resolutionDueAt)).toBe("2026-12-01T14:00:00.000Z");
    expect(iso(c?.nextCheckAt)).toBe("2026-12-01T10:12:00.000Z");
    expect(ticket.sla).toMatchObject({ policy: "P1 critical", state: "on_track", remainingS: 900, firstResponseDueAt: "2026-12-01T10:15:00.000Z" });
  });

  it("P4 on the Business hours calendar (Europe/Berlin, Mon–Fri 9–17)", async () => {
    // Friday 16:00 Berlin (UTC+1): 1 h on Friday, 7 h on Monday → Monday 16:00.
    const { id } = await file("P4", new Date("2026-12-04T15:00:00Z"));
    const c = await clock(id);
    expect(iso(c?.firstResponseDueAt)).toBe("2026-12-07T15:00:00.000Z");
    expect(iso(c?.resolutionDueAt)).toBe("2026-12-11T15:00:00.000Z");
  });

  it("recompute is idempotent", async () => {
    const { id } = await file("P2", new Date("2026-12-01T10:00:00Z"));
    const a = await clock(id);
    await db.transaction((tx) => recomputeTicketSla(tx, id, new Date("2026-12-01T10:30:00Z")));
    const b = await clock(id);
    expect({ ...b, updatedAt: null }).toEqual({ ...a, updatedAt: null });
  });
});
