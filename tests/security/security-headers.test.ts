import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { resetEnvForTests } from "@/lib/env";
import { peerHeaderName } from "@/lib/http/client-ip";
import { proxy } from "@/proxy";

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}
afterEach(() => setEnv({ NEXTAUTH_URL: undefined, TRUSTED_PROXIES: undefined }));

function run(headers: Record<string, string> = {}) {
  const res = proxy(new NextRequest("http://localhost:3000/signin", { headers }));
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  // what Next's renderer receives
  const forwarded = res.headers.get("x-middleware-request-content-security-policy");
  return { res, csp, nonce, forwarded, hsts: res.headers.get("strict-transport-security") };
}

describe("proxy security headers", () => {
  it("sets a nonce CSP on the response and hands the same policy to the renderer; a new nonce each request", () => {
    const a = run();
    expect(a.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a.csp).toContain(`script-src 'self' 'nonce-${a.nonce}' 'strict-dynamic'`);
    expect(a.csp).toContain("frame-ancestors 'none'");
    expect(a.csp).toContain("object-src 'none'");
    expect(a.csp).not.toContain("unsafe-eval");
    expect(a.forwarded).toBe(a.csp);
    expect(a.res.headers.get("x-middleware-request-x-nonce")).toBe(a.nonce);
    expect(run().nonce).not.toBe(a.nonce);
  });

  it("adds HSTS only over https: NEXTAUTH_URL https, or X-Forwarded-Proto from a trusted proxy", () => {
    expect(run({ "x-forwarded-proto": "https" }).hsts).toBeNull(); // anyone can send the header
    setEnv({ TRUSTED_PROXIES: "10.0.0.0/8" });
    expect(run({ "x-forwarded-proto": "https", [peerHeaderName()]: "203.0.113.1" }).hsts).toBeNull();
    const viaProxy = run({ "x-forwarded-proto": "https", [peerHeaderName()]: "10.0.0.2" });
    expect(viaProxy.hsts).toMatch(/^max-age=31536000/);
    expect(viaProxy.csp).toContain("upgrade-insecure-requests");
    setEnv({ TRUSTED_PROXIES: undefined, NEXTAUTH_URL: "https://desk.example.com" });
    expect(run().hsts).toMatch(/^max-age=31536000/);
    setEnv({ NEXTAUTH_URL: "http://localhost:3000" });
    const plain = run();
    expect(plain.hsts).toBeNull();
    expect(plain.csp).not.toContain("upgrade-insecure-requests");
  });
});
