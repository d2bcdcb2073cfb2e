import { basicCredentials, obj, startFake, type FakeServer } from "./push-fake-base";

/** A ticket the fake Freshservice holds. */
export interface FakeFreshserviceTicket {
  id: number;
  body: Record<string, unknown>;
  status: number;
  tags: string[];
  notes: { body: string; private: boolean }[];
}

export interface FakeFreshservice extends FakeServer {
  tickets: FakeFreshserviceTicket[];
}

/**
 * FAKE Freshservice (API v2) on loopback. Checks auth (Basic `<api key>:X`) and the
 * create-ticket shape (subject, description, email, priority 1–4, status 2–5, source, tags),
 * answers like Freshservice (`201 {ticket}`, `400 {description, errors: [{field, message, code}]}`),
 * supports the filter API for tags (`/api/v2/tickets/filter?query="tag:'x'"`), status updates
 * (PUT /api/v2/tickets/:id) and notes (POST /api/v2/tickets/:id/notes).
 */
export async function startFakeFreshservice(apiKey: string): Promise<FakeFreshservice> {
  const tickets: FakeFreshserviceTicket[] = [];
  const invalid = (errors: { field: string; message: string }[]) => ({
    status: 400,
    json: { description: "Validation failed", errors: errors.map((e) => ({ ...e, code: "invalid_value" })) },
  });
  const server = await startFake((r) => {
    if (basicCredentials(r.headers) !== `${apiKey}:X`) return { status: 401, json: { code: "invalid_credentials", message: "You have to be logged in to perform this action." } };
    const p = r.url.pathname;
    if (r.method === "POST" && p === "/api/v2/tickets") {
      const b = obj(r.json);
      if (!b) return invalid([{ field: "body", message: "JSON expected" }]);
      const errors: { field: string; message: string }[] = [];
      if (typeof b.subject !== "string" || !b.subject) errors.push({ field: "subject", message: "It should be a non-empty string" });
      if (typeof b.description !== "string" || !b.description) errors.push({ field: "description", message: "It should be a non-empty string" });
      if (typeof b.email !== "string" || !b.email.includes("@")) errors.push({ field: "email", message: "It should be a valid email address" });
      if (![1, 2, 3, 4].includes(b.priority as number)) errors.push({ field: "priority", message: "It should be one of these values: '1,2,3,4'" });
      if (![2, 3, 4, 5].includes(b.status as number)) errors.push({ field: "status", message: "It should be one of these values: '2,3,4,5'" });
      if (typeof b.source !== "number") errors.push({ field: "source", message: "It should be a number" });
      if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((x) => typeof x !== "string"))) errors.push({ field: "tags", message: "It should be an array of strings" });
      if (errors.length) return invalid(errors);
      const t = { id: 1000 + tickets.length + 1, body: b, status: b.status as number, tags: (b.tags as string[]) ?? [], notes: [] };
      tickets.push(t);
      return { status: 201, json: { ticket: { id: t.id, subject: b.subject, status: t.status, priority: b.priority, tags: t.tags } } };
    }
    if (r.method === "GET" && p === "/api/v2/tickets/filter") {
      const m = /^"tag:'([^']+)'"$/.exec(r.url.searchParams.get("query") ?? "");
      if (!m) return invalid([{ field: "query", message: "The fake understands only \"tag:'<tag>'\" (quoted)" }]);
      const hits = tickets.filter((t) => t.tags.includes(m[1]));
      return { status: 200, json: { tickets: hits.map((t) => ({ id: t.id, subject: t.body.subject, status: t.status, tags: t.tags })), total: hits.length } };
    }
    const one = /^\/api\/v2\/tickets\/(\d+)(\/notes)?$/.exec(p);
    const t = one ? tickets.find((x) => x.id === Number(one[1])) : undefined;
    if (one && !t) return { status: 404, json: { code: "access_denied", message: "ticket not found" } };
    if (r.method === "PUT" && one && !one[2] && t) {
      const status = obj(r.json)?.status;
      if (![2, 3, 4, 5].includes(status as number)) return invalid([{ field: "status", message: "It should be one of these values: '2,3,4,5'" }]);
      t.status = status as number;
      return { status: 200, json: { ticket: { id: t.id, status: t.status } } };
    }
    if (r.method === "POST" && one?.[2] && t) {
      const b = obj(r.json);
      if (typeof b?.body !== "string" || !b.body) return invalid([{ field: "body", message: "It should be a non-empty string" }]);
      t.notes.push({ body: b.body, private: b.private !== false });
      return { status: 201, json: { conversation: { id: t.notes.length, body: b.body, private: b.private !== false } } };
    }
    return { status: 404, json: { message: `fake Freshservice: no route ${r.method} ${p}` } };
  });
  return Object.assign(server, { tickets });
}
