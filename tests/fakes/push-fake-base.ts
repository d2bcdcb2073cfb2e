import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * The loopback HTTP plumbing shared by the FAKE push targets (jira-server.ts,
 * freshservice-server.ts, slack-server.ts, webhook-receiver.ts): records every request, and
 * plays scripted failures on the requests a fake marks as failable (its writes).
 */

/** A request a fake received: method, path with query, headers and the raw body. */
export interface FakeRequest {
  method: string;
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** A scripted failure of the next failable request. */
export type FakeFailure =
  | { kind: "status"; status: number; retryAfterS?: number }
  /** Do the work (create the record), then answer 500: our side sees a failure after the effect. */
  | { kind: "effect-then-500" }
  /** Do the work, then drop the connection without an answer. */
  | { kind: "effect-then-drop" };

/** What a fake's route answers. */
export interface FakeAnswer {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** Queue failures for the next failable requests, in order. */
  failNext: (...f: FakeFailure[]) => void;
  /** Requests received and not answered yet (held by `holdMs`, or cut by the client). */
  inFlight: () => number;
  close: () => Promise<void>;
}

/** Options of {@link startFake}. */
export interface FakeOptions {
  /** Hold each answer this long (ms) after the route ran: a slow target, requests in flight. */
  holdMs?: number;
}

/**
 * Start a loopback fake. `route` answers a request (it may perform the effect); `failable`
 * says which requests scripted failures apply to. A `status` failure answers before `route`
 * runs (nothing happens); `effect-then-*` runs `route` first, then fails.
 */
export async function startFake(
  route: (req: FakeRequest) => FakeAnswer,
  failable: (req: FakeRequest) => boolean = (r) => r.method !== "GET",
  opts: FakeOptions = {},
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const failures: FakeFailure[] = [];
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => {
      let json: unknown = null;
      try {
        json = data ? JSON.parse(data) : null;
      } catch {
        json = undefined; // not JSON: routes that need JSON answer 400
      }
      const url = new URL(req.url ?? "/", "http://fake.local");
      const rec: FakeRequest = { method: req.method ?? "GET", path: req.url ?? "/", url, headers: req.headers, body: data, json };
      requests.push(rec);
      const failure = failable(rec) ? failures.shift() : undefined;
      if (failure?.kind === "status") {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (failure.retryAfterS !== undefined) headers["retry-after"] = String(failure.retryAfterS);
        res.writeHead(failure.status, headers);
        res.end(JSON.stringify({ message: `fake failure ${failure.status}` }));
        return;
      }
      const answer = route(rec);
      if (failure?.kind === "effect-then-drop") {
        res.socket?.destroy();
        return;
      }
      if (failure?.kind === "effect-then-500") {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "fake failure after the record was made" }));
        return;
      }
      const isText = answer.text !== undefined;
      const send = () => {
        if (res.destroyed) return; // the client went away while held
        res.writeHead(answer.status, { "content-type": isText ? "text/plain" : "application/json", ...(answer.headers ?? {}) });
        res.end(isText ? answer.text : JSON.stringify(answer.json ?? {}));
      };
      if (opts.holdMs) setTimeout(send, opts.holdMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (...f) => failures.push(...f),
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** `Authorization: Basic <base64(user:pass)>` decoded, or null. */
export function basicCredentials(h: http.IncomingHttpHeaders): string | null {
  const m = /^Basic (.+)$/.exec(h.authorization ?? "");
  return m ? Buffer.from(m[1], "base64").toString("utf8") : null;
}

/** A plain object, or null. */
export function obj(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
