import { describe, expect, it } from "vitest";
import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import { domainEvents, employees, tickets, users } from "@/db/schema";
import { ensureSetupToken } from "@/lib/auth/setup";
import { DEMO_USERS, seedDemo } from "@/lib/demo/seed";
import { isDemoInstall } from "@/lib/demo/settings";
import { useTestDb } from "../helpers/db";

const t = useTestDb();

describe("demo seed (npm run demo only)", () => {
  it("creates the demo users and tickets and marks the install as a demo; idempotent", async () => {
    expect(await isDemoInstall(t.db)).toBe(false);
    const r = await seedDemo(t.db, { ticketLimit: 15 });
    expect(r).toEqual({ users: true, tickets: 15 });
    // The demo users, plus one agent per employee of data/routing/employees.csv that is not a demo user.
    const staff = await t.db.select({ email: employees.email, userId: employees.userId }).from(employees);
    expect(staff.length).toBeGreaterThanOrEqual(30);
    expect(staff.every((e) => e.userId !== null)).toBe(true);
    const demoEmails = new Set(DEMO_USERS.map((u) => u.email));
    const [{ n }] = await t.db.select({ n: count() }).from(users);
    expect(Number(n)).toBe(DEMO_USERS.length + staff.filter((e) => !demoEmails.has(e.email)).length);
    const [admin] = await t.db.select().from(users).where(eq(users.email, "admin@example.com"));
    expect(admin.role).toBe("admin");
    expect(await isDemoInstall(t.db)).toBe(true);
    // an admin exists: no setup token
    expect(await ensureSetupToken(t.db)).toBeNull();
    expect(await seedDemo(t.db, { ticketLimit: 15 })).toEqual({ users: false, tickets: 0 });
    expect(Number((await t.db.select({ n: count() }).from(tickets))[0].n)).toBe(15);
    // Seeded history starts no background work: every event of the seeded tickets is dispatched.
    const [{ pending }] = await t.db
      .select({ pending: count() })
      .from(domainEvents)
      .where(and(isNull(domainEvents.dispatchedAt), isNotNull(domainEvents.ticketId)));
    expect(Number(pending)).toBe(0);
    expect(Number((await t.db.select({ n: count() }).from(domainEvents))[0].n)).toBeGreaterThanOrEqual(15);
  });
});
