import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import * as listRoute from "@/app/api/rule-sets/route";
import * as itemRoute from "@/app/api/rule-sets/[id]/route";
import { ensureRuleSet, listRuleSets } from "@/lib/files/compliance/rule-sets";
import { PHARMA_SHIPMENT_RULE_SET, RuleSetSchema } from "@/lib/files/compliance/schema";
import { openApiDocument } from "@/lib/http/openapi";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

const testDb = useTestDb();
let db: Db;
let admin: Actor;
let agent: Actor;
let requester: Actor;

beforeAll(async () => {
  db = testDb.db;
  admin = await makeActor(db, "admin-rs@corp.test", "admin");
  agent = await makeActor(db, "agent-rs@corp.test", "agent");
  requester = await makeActor(db, "req-rs@corp.test", "requester");
});

async function counts(): Promise<{ ruleSets: number; audit: number }> {
  const [r] = await rows<{ rule_sets: number; audit: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM compliance_rule_sets)::int AS rule_sets, (SELECT count(*) FROM audit_events WHERE entity_type = 'rule_set')::int AS audit`,
  );
  return { ruleSets: r.rule_sets, audit: r.audit };
}

const simple = {
  name: "Batch register",
  description: "The register of released batches",
  rules: [
    { type: "required_columns", columns: ["Batch number", "Status"] },
    { type: "domain", column: "Status", values: ["Released", "Quarantine"] },
  ],
};

describe("/api/rule-sets", () => {
  let id: string;

  it("an admin creates a rule set: 201, version 1, defaults filled in, audit event written", async () => {
    const before = await counts();
    const res = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, body: simple });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Batch register",
      active: true,
      version: 1,
      createdBy: admin.id,
      rules: [
        { type: "required_columns", severity: "error" },
        { type: "domain", severity: "error" },
      ],
    });
    id = res.body.id;
    expect(await counts()).toEqual({ ruleSets: before.ruleSets + 1, audit: before.audit + 1 });
    const [ev] = await rows<{ action: string; actor_label: string; after: { name: string; version: number } }>(
      db,
      sql`SELECT action, actor_label, after FROM audit_events WHERE entity_type = 'rule_set' AND entity_id = ${id}`,
    );
    expect(ev).toMatchObject({ action: "rule_set.created", after: { name: "Batch register", version: 1 } });
  });

  it("agents list and read; requesters and anonymous callers cannot", async () => {
    const list = await call(listRoute.GET, { path: "/api/rule-sets", key: agent.key });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { name: string }) => r.name)).toContain("Batch register");
    const one = await call(itemRoute.GET, { path: `/api/rule-sets/${id}`, key: agent.key, params: { id } });
    expect(one.status).toBe(200);
    expect(one.body.rules).toHaveLength(2);
    expect((await call(listRoute.GET, { path: "/api/rule-sets", key: requester.key })).status).toBe(403);
    expect((await call(itemRoute.GET, { path: `/api/rule-sets/${id}`, key: requester.key, params: { id } })).status).toBe(403);
    expect((await call(listRoute.GET, { path: "/api/rule-sets" })).status).toBe(401);
  });

  it("agents and requesters cannot write; nothing is written", async () => {
    const before = await counts();
    for (const actor of [agent, requester]) {
      const post = await call(listRoute.POST, { path: "/api/rule-sets", key: actor.key, body: { ...simple, name: "Other" } });
      expect(post.status).toBe(403);
      expect(post.body.error.code).toBe("forbidden");
      expect((await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${id}`, key: actor.key, params: { id }, body: simple })).status).toBe(403);
      expect((await call(itemRoute.DELETE, { method: "DELETE", path: `/api/rule-sets/${id}`, key: actor.key, params: { id } })).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it("bad rules → 400 validation_error with the path of each problem; nothing written", async () => {
    const before = await counts();
    const bad = {
      name: "Broken",
      rules: [
        { type: "pattern", column: "Batch", regex: "(a+)+" },
        { type: "range", column: "Qty", kind: "number", min: "one" },
        { type: "telepathy", column: "Qty" },
        { type: "unique", columns: [] },
      ],
    };
    const res = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, body: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    const issues: { path: string; message: string }[] = res.body.error.details.issues;
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(["rules.0.regex", "rules.1.min", "rules.2.type", "rules.3.columns"]));
    expect(issues.find((i) => i.path === "rules.0.regex")!.message).toMatch(/Nested quantifier/);
    const malformed = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, raw: '{"name": "x", "rules": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_json");
    const noRules = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, body: { name: "Empty", rules: [] } });
    expect(noRules.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("a duplicate name (ignoring case) → 409; nothing written", async () => {
    const before = await counts();
    const res = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, body: { ...simple, name: "BATCH REGISTER" } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", details: { field: "name" } });
    expect(await counts()).toEqual(before);
  });

  it("PUT replaces the rules and bumps the version; a stale expectedVersion → 409", async () => {
    const changed = { ...simple, rules: [...simple.rules, { type: "unique", columns: ["Batch number"], severity: "warning" }], expectedVersion: 1 };
    const res = await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${id}`, key: admin.key, params: { id }, body: changed });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, active: true });
    expect(res.body.rules).toHaveLength(3);
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.createdAt));

    const before = await counts();
    const stale = await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${id}`, key: admin.key, params: { id }, body: { ...changed, description: "stale" } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual({ currentVersion: 2 });
    const badRules = await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${id}`, key: admin.key, params: { id }, body: { ...simple, rules: [{ type: "domain", column: "S", values: [] }] } });
    expect(badRules.status).toBe(400);
    expect(badRules.body.error.details.issues[0].path).toBe("rules.0.values");
    expect(await counts()).toEqual(before);
    const stored = await call(itemRoute.GET, { path: `/api/rule-sets/${id}`, key: agent.key, params: { id } });
    expect(stored.body).toMatchObject({ version: 2, description: simple.description });
  });

  it("PUT onto another rule set's name → 409; unknown or malformed id → 404", async () => {
    const other = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, body: { ...simple, name: "Shipments" } });
    expect(other.status).toBe(201);
    const clash = await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${other.body.id}`, key: admin.key, params: { id: other.body.id }, body: { ...simple, name: "batch register" } });
    expect(clash.status).toBe(409);
    // keeping its own name (in another case) is fine
    const own = await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${other.body.id}`, key: admin.key, params: { id: other.body.id }, body: { ...simple, name: "SHIPMENTS" } });
    expect(own.status).toBe(200);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await call(itemRoute.GET, { path: `/api/rule-sets/${missing}`, key: agent.key, params: { id: missing } })).status).toBe(404);
    expect((await call(itemRoute.GET, { path: "/api/rule-sets/nope", key: agent.key, params: { id: "nope" } })).status).toBe(404);
    expect((await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${missing}`, key: admin.key, params: { id: missing }, body: simple })).status).toBe(404);
    expect((await call(itemRoute.DELETE, { method: "DELETE", path: "/api/rule-sets/nope", key: admin.key, params: { id: "nope" } })).status).toBe(404);
  });

  it("DELETE deactivates (version bump, audit event); ?active=true leaves it out; PUT active:true brings it back", async () => {
    const before = await counts();
    const res = await call(itemRoute.DELETE, { method: "DELETE", path: `/api/rule-sets/${id}`, key: admin.key, params: { id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: false, version: 3 });
    expect(await counts()).toEqual({ ruleSets: before.ruleSets, audit: before.audit + 1 });
    // again: no change, no event
    expect((await call(itemRoute.DELETE, { method: "DELETE", path: `/api/rule-sets/${id}`, key: admin.key, params: { id } })).body.version).toBe(3);
    expect((await counts()).audit).toBe(before.audit + 1);

    const active = await call(listRoute.GET, { path: "/api/rule-sets?active=true", key: agent.key });
    expect(active.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    const all = await call(listRoute.GET, { path: "/api/rule-sets", key: agent.key });
    expect(all.body.items.map((r: { id: string }) => r.id)).toContain(id);
    // the name stays taken, and the 409 says it is an inactive rule set
    const dup = await call(listRoute.POST, { path: "/api/rule-sets", key: admin.key, body: simple });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/inactive/);

    const back = await call(itemRoute.PUT, { method: "PUT", path: `/api/rule-sets/${id}`, key: admin.key, params: { id }, body: { ...simple, active: true } });
    expect(back.body).toMatchObject({ active: true, version: 4 });
    const [ev] = await rows<{ actions: string[] }>(db, sql`SELECT array_agg(action ORDER BY id) AS actions FROM audit_events WHERE entity_type = 'rule_set' AND entity_id = ${id}`);
    expect(ev.actions).toEqual(["rule_set.created", "rule_set.updated", "rule_set.deactivated", "rule_set.updated"]);
  });

  it("the example rule set seeds once (idempotent) and round-trips through the schema", async () => {
    const a = await ensureRuleSet(db, PHARMA_SHIPMENT_RULE_SET);
    const b = await ensureRuleSet(db, PHARMA_SHIPMENT_RULE_SET);
    expect(b.id).toBe(a.id);
    expect(a.rules).toEqual(RuleSetSchema.parse(PHARMA_SHIPMENT_RULE_SET).rules);
    expect((await listRuleSets(db)).filter((r) => r.name === PHARMA_SHIPMENT_RULE_SET.name)).toHaveLength(1);
    const created = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = ${a.id} AND actor_type = 'system'`);
    expect(created[0].n).toBe(1);
  });

  it("is in the OpenAPI document, from the same zod schema", () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, any>> };
    const post = doc.paths["/api/rule-sets"].post.requestBody.content["application/json"].schema;
    expect(post.required).toEqual(expect.arrayContaining(["name", "rules"]));
    const kinds = post.properties.rules.items.oneOf ?? post.properties.rules.items.anyOf;
    expect(kinds.map((k: { properties: { type: { const: string } } }) => k.properties.type.const)).toEqual([
      "required_columns", "not_empty", "domain", "pattern", "range", "cross_field", "unique", "reference",
    ]);
    expect(Object.keys(doc.paths["/api/rule-sets/{id}"])).toEqual(["get", "put", "delete"]);
  });
});
