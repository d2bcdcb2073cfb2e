import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { count, eq, isNotNull } from "drizzle-orm";
import { auditEvents, employees, users } from "@/db/schema";
import { DEMO_EMPLOYEES_CSV, seedDemoEmployees } from "@/lib/demo/seed";
import { readWorkbook } from "@/lib/files/sheets";
import { importEmployeeRows } from "@/lib/routing/employees/import";
import { validateEmployeeSheet, type EmployeeSheetRecord } from "@/lib/routing/employees/sheet";
import { useTestDb } from "../helpers/db";

const t = useTestDb();
const system = { actorType: "system" as const, actorId: null, actorLabel: "test" };

describe("the shipped employee sheet (data/routing/employees.csv) and concurrent imports", () => {
  it("the shipped sheet validates without findings and the demo seed imports it once", async () => {
    const sheet = validateEmployeeSheet(await readWorkbook(new Uint8Array(fs.readFileSync(DEMO_EMPLOYEES_CSV)), { filename: "employees.csv" }));
    expect(sheet.findings).toEqual([]);
    expect(sheet.records.length).toBeGreaterThanOrEqual(30);
    const created = await seedDemoEmployees(t.db);
    expect(created).toBe(sheet.records.length);
    expect(await seedDemoEmployees(t.db)).toBe(0);
    const [{ n }] = await t.db.select({ n: count() }).from(employees).where(isNotNull(employees.userId));
    expect(Number(n)).toBe(created);
    const [{ agents }] = await t.db.select({ agents: count() }).from(users).where(eq(users.role, "agent"));
    expect(Number(agents)).toBe(created);
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.action, "employees.imported"));
    expect(audit).toMatchObject({ actorType: "system", entityId: "direct" });
  });

  it("two imports of the same new people at once create each person once (the second updates)", async () => {
    const rec = (i: number): EmployeeSheetRecord => ({ row: i + 2, email: `parallel${i}@corp.test`, name: `Parallel ${i}`, teamText: "Service Desk", department: "Service Desk", skills: ["vpn"] });
    const records = Array.from({ length: 5 }, (_, i) => rec(i));
    const [a, b] = await Promise.all([
      importEmployeeRows(t.db, records, { uploadId: null, actor: system }),
      importEmployeeRows(t.db, records, { uploadId: null, actor: system }),
    ]);
    expect([a.created + b.created, a.updated + b.updated]).toEqual([5, 5]);
    const [{ n }] = await t.db.select({ n: count() }).from(users).where(eq(users.name, "Parallel 0"));
    expect(Number(n)).toBe(1);
  });
});
