import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as ticketRoute from "@/app/api/tickets/[key]/route";
import * as statsRoute from "@/app/api/tickets/stats/route";
import * as triageStatsRoute from "@/app/api/triage/stats/route";
import { searchParamsToObject, splitListParam } from "@/lib/http/query";
import { useTestDb } from "../helpers/db";
import { makeActor, type Actor } from "../helpers/fixtures";
import { call } from "../helpers/http";

/*
 * Section 5: a repeated query parameter (`status=new&status=open`) kept only the last value.
 * Now list fields take comma lists, repeats and mixtures alike, and a scalar given twice is a 400.
 */

const testDb = useTestDb();
let db: Db;
let agent: Actor;
const byStatus: Record<string, string> = {};

beforeAll(async () => {
  db = testDb.db;
  agent = await makeActor(db, "agent@corp.test", "agent");
  const specs = [
    ["new", "P1"],
    ["open", "P2"],
    ["in_progress", "P3"],
    ["resolved", "P4"],
  ] as const;
  for (const [status, priority] of specs) {
    const res = await call(ticketsRoute.POST, {
      path: "/api/tickets",
      key: agent.key,
      body: { title: `Printer ${status}`, description: `The printer on floor two is jammed (${status})`, email: "r@corp.test", priority },
    });
    const key = res.body.ticket.key as string;
    if (status !== "new") {
      const r = await call(ticketRoute.PATCH, { method: "PATCH", path: `/api/tickets/${key}`, key: agent.key, params: { key }, body: { status } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    byStatus[status] = key;
  }
});

const list = (q: string) => call(ticketsRoute.GET, { path: `/api/tickets?${q}`, key: agent.key });
const keysOf = (res: { body: { items: { key: string }[] } }) => res.body.items.map((t) => t.key).sort();

describe("list parameters: comma lists, repeats and mixtures mean the same", () => {
  it.each([
    ["comma list", "status=new,open"],
    ["repeated", "status=new&status=open"],
    ["repeated with spaces and a duplicate", "status=%20new&status=open&status=new"],
  ])("status: %s", async (_n, q) => {
    const res = await list(q);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(keysOf(res)).toEqual([byStatus.new, byStatus.open].sort());
  });

  it("mixture of comma list and repeats, on status and priority together", async () => {
    const res = await list("status=new,open&status=in_progress&priority=P1&priority=P3,P2");
    expect(res.status).toBe(200);
    expect(keysOf(res)).toEqual([byStatus.new, byStatus.in_progress, byStatus.open].sort());
  });

  it("a bad item in a repeated list is a 400 naming its position", async () => {
    const res = await list("status=new&status=bogus");
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe("status.1");
    expect((await list("status=&status=")).status).toBe(400);
  });
});

describe("scalar parameters given twice are a 400, not last-wins", () => {
  it.each([
    "category=hardware&category=access",
    "team=service-desk&team=infrastructure",
    "assignee=me&assignee=none",
    "email=a@corp.test&email=b@corp.test",
    "needsReview=true&needsReview=false",
    "q=printer&q=jammed",
    "limit=1&limit=2",
    "limit=5&limit=5",
    "cursor=abc&cursor=def",
  ])("GET /api/tickets?%s", async (q) => {
    const res = await list(q);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    const issue = res.body.error.details.issues[0];
    expect(issue.path).toBe(q.split("=")[0]);
    expect(issue.code).toBe("repeated_parameter");
    expect(issue.message).toMatch(/only once/);
  });

  it("stats endpoints", async () => {
    for (const [path, handler] of [
      ["/api/tickets/stats?from=2026-01-01&from=2026-01-02", statsRoute.GET],
      ["/api/tickets/stats?to=2026-01-01&to=2026-01-02", statsRoute.GET],
      ["/api/triage/stats?window=10&window=20", triageStatsRoute.GET],
    ] as const) {
      const res = await call(handler, { path, key: agent.key });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.issues[0].code).toBe("repeated_parameter");
    }
  });
});

describe("helpers", () => {
  it("searchParamsToObject keeps every value of a repeated key, in order", () => {
    expect(searchParamsToObject(new URLSearchParams("a=1&b=2&a=3&a=4"))).toEqual({ a: ["1", "3", "4"], b: "2" });
  });
  it("splitListParam trims, drops empties and duplicates", () => {
    expect(splitListParam(["x, y", "", "z,x"])).toEqual(["x", "y", "z"]);
    expect(splitListParam("x,,y")).toEqual(["x", "y"]);
  });
});
