import { describe, expect, it } from "vitest";
import { createSourcePayload, emptySourceValues, parsePriorityLines, sourceFieldErrors, sourceValuesOf, updateSourcePayload } from "@/components/odata/source-input";
import type { ODataSourceDTO } from "@/lib/odata/dto";
import { CreateODataSourceSchema, UpdateODataSourceSchema } from "@/lib/odata/schemas";

const filled = {
  ...emptySourceValues(),
  name: "PM",
  baseUrl: "https://sap.example.com/sap/opu/odata/sap/ZPM_SRV",
  entitySet: "NotificationSet",
  username: "SB_RFC",
  secret: "pw",
  sapClient: "100",
  mapTitle: "ShortText",
  mapExternalId: "NotificationId",
  mapPriority: "Priority",
  priorityMap: "1 = p1\n 2=P2 ",
  closedField: "Status",
  closedValues: "CLOSED, NOCO",
  reportTo: "a@corp.test,\nb@corp.test",
};

describe("OData source form values → API payload", () => {
  it("builds a create payload the API schema accepts", () => {
    const built = createSourcePayload(filled);
    if (!("payload" in built)) throw new Error("expected a payload");
    const parsed = CreateODataSourceSchema.parse(built.payload);
    expect(parsed.mapping).toMatchObject({ priorityMap: { "1": "P1", "2": "P2" }, closed: { field: "Status", values: ["CLOSED", "NOCO"] } });
    expect(parsed.reportTo).toEqual(["a@corp.test", "b@corp.test"]);
    expect(parsed.secret).toBe("pw");
  });

  it("an edit sends only what changed; an empty secret keeps the stored one", () => {
    const built = createSourcePayload(filled) as { payload: Record<string, unknown> };
    const parsed = CreateODataSourceSchema.parse(built.payload);
    const dto = { ...parsed, id: "x", hasSecret: true, category: null, team: null, filter: null, select: null, sapLanguage: null, username: "SB_RFC", sapClient: "100", deltaCursor: null, nextRunAt: "", createdAt: "", updatedAt: "", lastRun: null } as unknown as ODataSourceDTO;
    const initial = sourceValuesOf(dto);
    expect(updateSourcePayload(initial, initial)).toEqual({ payload: {} });
    const changed = updateSourcePayload({ ...initial, intervalMin: "60", resetDelta: true }, initial) as { payload: Record<string, unknown> };
    expect(changed.payload).toEqual({ intervalMin: 60, resetDelta: true });
    expect(UpdateODataSourceSchema.safeParse(changed.payload).success).toBe(true);
  });

  it("reports malformed priority lines and keys address issues on the reportTo box", () => {
    expect(parsePriorityLines("1 P1")).toEqual({ error: "Line 1: write each as value = P1" });
    expect(createSourcePayload({ ...filled, priorityMap: "nope" })).toEqual({ fieldErrors: { "mapping.priorityMap": "Line 1: write each as value = P1" } });
    const r = CreateODataSourceSchema.safeParse((createSourcePayload({ ...filled, reportTo: "a@corp.test, nope" }) as { payload: unknown }).payload);
    expect(r.success).toBe(false);
    expect(Object.keys(sourceFieldErrors(r.error!.issues))).toEqual(["reportTo"]);
  });
});
