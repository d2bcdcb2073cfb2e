import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { env } from "@/lib/env";

/*
 * The one answer to "which client sent this request?", for everything limited per IP (sign-in
 * throttle, anonymous /submit).
 *
 * Why a stamped peer header: Next.js does not expose the socket address to route handlers,
 * server actions or next-auth's authorize(). `next start` only fills X-Forwarded-For from the
 * socket when the client did NOT send one (`req.headers['x-forwarded-for'] ??= socket.remoteAddress`
 * in next/dist/server/base-server.js), so a client that sends its own X-Forwarded-For hides
 * its address completely; neither the first nor the last entry can be trusted. So
 * {@link installPeerAddressHeader} (called once at start-up, before the first request) stamps
 * every incoming request with the socket's address under a header whose name is random per
 * process: a client cannot forge it, and a client-sent header of that name is overwritten.
 *
 * Then: the peer is the client, unless the peer is one of TRUSTED_PROXIES; only then are
 * X-Forwarded-For (walked from the right, skipping trusted proxies) and X-Real-IP believed.
 */

const globalForPeer = globalThis as unknown as { __switchboardPeerHeader?: string; __switchboardPeerInstalled?: boolean };

/** Name of the header that carries the socket address (random per process, lower-case). */
export function peerHeaderName(): string {
  return (globalForPeer.__switchboardPeerHeader ??= `x-switchboard-peer-${crypto.randomBytes(8).toString("hex")}`);
}

/**
 * Stamp each request of this process's HTTP(S) servers with its socket address (see above).
 * Idempotent; call it at start-up before the server handles requests (instrumentation).
 */
export function installPeerAddressHeader(): void {
  if (globalForPeer.__switchboardPeerInstalled) return;
  globalForPeer.__switchboardPeerInstalled = true;
  const name = peerHeaderName();
  for (const proto of [http.Server.prototype, https.Server.prototype] as { emit: (event: string | symbol, ...args: unknown[]) => boolean }[]) {
    const original = proto.emit;
    proto.emit = function emit(this: unknown, event: string | symbol, ...args: unknown[]): boolean {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        req.headers[name] = req.socket?.remoteAddress ?? "";
      }
      return original.call(this, event, ...args);
    };
  }
}

/** Something with request headers: a Headers object or next-auth's plain header record. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined> | null | undefined;

function header(h: HeaderSource, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name) ?? undefined;
  const rec = h as Record<string, string | string[] | undefined>;
  const v = rec[name] ?? rec[Object.keys(rec).find((k) => k.toLowerCase() === name) ?? ""];
  return Array.isArray(v) ? v.join(",") : v;
}

/** A valid IP in canonical form (IPv4-mapped IPv6 reduced to IPv4), or null. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let v = raw.trim();
  if (v.startsWith("[")) v = v.slice(1, v.indexOf("]") > 0 ? v.indexOf("]") : undefined); // [v6]:port
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":")); // v4:port
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v);
  if (mapped) v = mapped[1];
  const kind = net.isIP(v);
  if (kind === 0) return null;
  return kind === 6 ? v.toLowerCase() : v;
}

let trustedCache: { raw: string | undefined; list: net.BlockList | null } | undefined;

/** TRUSTED_PROXIES parsed into a BlockList (null when unset). Invalid entries are ignored. */
function trustedProxies(): net.BlockList | null {
  const raw = env().TRUSTED_PROXIES;
  if (trustedCache && trustedCache.raw === raw) return trustedCache.list;
  let list: net.BlockList | null = null;
  if (raw?.trim()) {
    list = new net.BlockList();
    for (const entry of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
      const [addr, bits] = entry.split("/");
      const ip = normalizeIp(addr);
      if (!ip) continue;
      const type = net.isIP(ip) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) list.addAddress(ip, type);
      else if (/^\d+$/.test(bits) && Number(bits) <= (type === "ipv6" ? 128 : 32)) list.addSubnet(ip, Number(bits), type);
    }
  }
  trustedCache = { raw, list };
  return list;
}

function isTrusted(list: net.BlockList, ip: string): boolean {
  return list.check(ip, net.isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's IP address for per-IP limits, or "unknown" when it cannot be told.
 *
 * - The peer is the stamped socket address ({@link installPeerAddressHeader}).
 * - TRUSTED_PROXIES unset, or the peer not in it: the peer. X-Forwarded-For / X-Real-IP are ignored.
 * - The peer is a trusted proxy: X-Forwarded-For walked from the right, skipping trusted
 *   proxies; the first untrusted address is the client (an unparsable entry stops the walk,
 *   since what is left of it was written by the client). Without X-Forwarded-For, X-Real-IP.
 */
export function clientIp(headers: HeaderSource): string {
  const peer = normalizeIp(header(headers, peerHeaderName()));
  if (!peer) return "unknown";
  const trusted = trustedProxies();
  if (!trusted || !isTrusted(trusted, peer)) return peer;
  const xff = header(headers, "x-forwarded-for");
  if (xff) {
    const hops = xff.split(",");
    for (let i = hops.length - 1; i >= 0; i--) {
      const ip = normalizeIp(hops[i]);
      if (!ip) break;
      if (!isTrusted(trusted, ip)) return ip;
    }
    return peer;
  }
  return normalizeIp(header(headers, "x-real-ip")) ?? peer;
}

/**
 * Whether the request reached us over https: the socket's own scheme is not visible to route
 * handlers either, so X-Forwarded-Proto counts only when the peer is a trusted proxy.
 */
export function forwardedHttps(headers: HeaderSource): boolean {
  const peer = normalizeIp(header(headers, peerHeaderName()));
  const trusted = trustedProxies();
  if (!peer || !trusted || !isTrusted(trusted, peer)) return false;
  return (header(headers, "x-forwarded-proto") ?? "").split(",")[0].trim().toLowerCase() === "https";
}
