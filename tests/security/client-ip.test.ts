import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { clientIp, forwardedHttps, installPeerAddressHeader, normalizeIp, peerHeaderName } from "@/lib/http/client-ip";

function withProxies(value: string | undefined) {
  if (value === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = value;
  resetEnvForTests();
}
afterEach(() => withProxies(undefined));

const h = (peer: string | null, extra: Record<string, string> = {}) => {
  const headers = new Headers(extra);
  if (peer !== null) headers.set(peerHeaderName(), peer);
  return headers;
};

describe("client IP", () => {
  it.each([
    // [TRUSTED_PROXIES, peer, x-forwarded-for, x-real-ip, expected]
    [undefined, "203.0.113.9", "1.2.3.4", "5.6.7.8", "203.0.113.9"],
    [undefined, "::ffff:203.0.113.9", undefined, undefined, "203.0.113.9"],
    [undefined, null, "1.2.3.4", undefined, "unknown"],
    ["10.0.0.0/8", "203.0.113.9", "1.2.3.4", undefined, "203.0.113.9"], // peer is not a proxy: headers ignored
    ["10.0.0.0/8", "10.1.1.1", "1.2.3.4", undefined, "1.2.3.4"],
    ["10.0.0.0/8", "10.1.1.1", "9.9.9.9, 1.2.3.4, 10.2.2.2", undefined, "1.2.3.4"], // client-written left part skipped
    ["10.0.0.0/8", "10.1.1.1", "10.3.3.3, 10.2.2.2", undefined, "10.1.1.1"], // all trusted: the peer
    ["10.0.0.0/8", "10.1.1.1", "1.2.3.4, not-an-ip", undefined, "10.1.1.1"], // garbage stops the walk
    ["10.0.0.0/8", "10.1.1.1", undefined, "7.7.7.7", "7.7.7.7"],
    ["127.0.0.1,::1", "::1", "2001:db8::1", undefined, "2001:db8::1"],
    ["bogus, 10.0.0.0/99, 127.0.0.1", "127.0.0.1", "8.8.8.8", undefined, "8.8.8.8"], // bad entries ignored
  ])("TRUSTED_PROXIES=%s peer=%s xff=%s real=%s → %s", (proxies, peer, xff, real, expected) => {
    withProxies(proxies);
    const extra: Record<string, string> = {};
    if (xff) extra["x-forwarded-for"] = xff;
    if (real) extra["x-real-ip"] = real;
    expect(clientIp(h(peer, extra))).toBe(expected);
  });

  it("reads plain header records (next-auth's authorize) too", () => {
    expect(clientIp({ [peerHeaderName()]: "192.0.2.1", "x-forwarded-for": "1.1.1.1" })).toBe("192.0.2.1");
    expect(clientIp(undefined)).toBe("unknown");
  });

  it("normalizes addresses", () => {
    expect(normalizeIp(" 192.0.2.1 ")).toBe("192.0.2.1");
    expect(normalizeIp("192.0.2.1:4431")).toBe("192.0.2.1");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("evil.example")).toBeNull();
  });

  it("x-forwarded-proto counts only from a trusted proxy", () => {
    expect(forwardedHttps(h("203.0.113.9", { "x-forwarded-proto": "https" }))).toBe(false);
    withProxies("10.0.0.0/8");
    expect(forwardedHttps(h("10.0.0.1", { "x-forwarded-proto": "https" }))).toBe(true);
    expect(forwardedHttps(h("203.0.113.9", { "x-forwarded-proto": "https" }))).toBe(false);
  });

  it("a real HTTP server stamps the socket address and overwrites a client-sent stamp", async () => {
    installPeerAddressHeader();
    const server = http.createServer((req, res) => {
      res.end(JSON.stringify({ ip: clientIp(req.headers as Record<string, string>), stamp: req.headers[peerHeaderName()] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { "x-forwarded-for": "1.2.3.4", [peerHeaderName()]: "6.6.6.6" },
      });
      expect(await res.json()).toEqual({ ip: "127.0.0.1", stamp: "127.0.0.1" });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
