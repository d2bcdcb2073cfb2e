import { beforeAll, describe, expect, it } from "vitest";
import * as uploadsRoute from "@/app/api/uploads/route";
import * as uploadRoute from "@/app/api/uploads/[id]/route";
import * as completeRoute from "@/app/api/uploads/[id]/complete/route";
import * as findingsRoute from "@/app/api/uploads/[id]/findings/route";
import { ensureRuleSet } from "@/lib/files/compliance/rule-sets";
import { PHARMA_SHIPMENT_RULE_SET } from "@/lib/files/compliance/schema";
import { JOB_HANDLERS } from "@/lib/jobs/handlers";
import { startWorkers, stopWorkers } from "@/lib/jobs/worker";
import { call } from "../helpers/http";
import { useTestDb } from "../helpers/db";
import { useTestStorage } from "../helpers/storage";
import { makeDeskActors, type Actor } from "../helpers/fixtures";

const t = useTestDb();
useTestStorage();
let agent: Actor;
let ruleSetId: string;

beforeAll(async () => {
  ({ agent } = await makeDeskActors(t.db));
  ruleSetId = (await ensureRuleSet(t.db, PHARMA_SHIPMENT_RULE_SET)).id;
  await startWorkers(JOB_HANDLERS);
  return async () => {
    await stopWorkers();
  };
});

const enc = (s: string) => Buffer.from(s, "utf8");

async function uploadCsv(name: string, csv: string, extra: Record<string, unknown>) {
  const bytes = enc(csv);
  const created = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: name, contentType: "text/csv", size: bytes.byteLength, kind: "compliance", ...extra } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await fetch(created.body.url, { method: "PUT", headers: created.body.headers, body: bytes })).status).toBe(200);
  const id = created.body.id as string;
  expect((await call(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: agent.key, params: { id } })).status).toBe(202);
  for (let i = 0; i < 600; i++) {
    const r = await call(uploadRoute.GET, { path: `/api/uploads/${id}`, key: agent.key, params: { id } });
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("not processed");
}

describe("compliance sheets through the upload API", () => {
  it("a compliance sheet needs a rule set or a dataset name", async () => {
    const r = await call(uploadsRoute.POST, { path: "/api/uploads", key: agent.key, body: { filename: "x.csv", contentType: "text/csv", size: 10, kind: "compliance" } });
    expect([r.status, r.body.error.code]).toEqual([422, "unprocessable"]);
  });

  it("checks a shipment sheet against its rule set, with batches referenced in the uploaded batch register", async () => {
    const register = await uploadCsv("batches.csv", "Batch number,Product\nB-100,Amoxicillin\nB-200,Ibuprofen\n", { dataset: "batch-register" });
    expect(register).toMatchObject({ status: "done", summary: { rows: 2 } });
    const shipment = [
      "Batch;Manufacture date;Expiry date;Quantity",
      "B-100;2026-01-10;2028-01-10;40",
      "B-200;2026-02-10;2026-01-01;10", // expiry before manufacture (and already expired: a warning)
      "B-300;2026-03-10;2028-03-10;0", // not in the register; quantity out of range
      "B-100;2026-01-10;2028-01-10;5", // duplicate batch
    ].join("\n");
    const done = await uploadCsv("shipment.csv", shipment, { ruleSetId });
    expect(done.status).toBe("done");
    expect(done.summary).toMatchObject({
      rows: 4,
      rowsWithErrors: 3,
      findings: { cross_field_violation: 1, missing_reference: 1, out_of_range: 2, duplicate_value: 1 },
      bySeverity: { error: 4, warning: 1 },
    });
    expect(done.insightsSource).toBe("deterministic");
    expect(done.insights).toContain("missing_reference");
    const refs = await call(findingsRoute.GET, { path: `/api/uploads/${done.id}/findings?code=missing_reference`, key: agent.key, params: { id: done.id } });
    expect(refs.body.items).toEqual([expect.objectContaining({ row: 4, column: "Batch", value: "B-300", severity: "error" })]);
  });

  it("a sheet missing the rule set's columns gets a missing_column finding, not a crash", async () => {
    const done = await uploadCsv("wrong.csv", "Product,Count\nA,1\n", { ruleSetId });
    expect(done.status).toBe("done");
    expect(done.summary.findings.missing_column).toBeGreaterThan(0);
  });
});
