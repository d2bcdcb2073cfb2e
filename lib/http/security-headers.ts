import crypto from "node:crypto";
import { env } from "@/lib/env";
import { storageBrowserOrigins } from "@/lib/files/storage/origins";
import { forwardedHttps, type HeaderSource } from "./client-ip";

/*
 * Per-request security headers for pages (set by proxy.ts): a nonce-based Content-Security-
 * Policy that Next.js applies to its own inline and bundle scripts (it reads the nonce from the
 * request's Content-Security-Policy header while rendering; pages are dynamic because the root
 * layout reads the session), and HSTS when the site is served over https. Static headers that
 * need no request (nosniff, Referrer-Policy, X-Frame-Options) are in next.config.ts.
 */

/** HSTS max-age: one year, in seconds. */
const HSTS_MAX_AGE_S = 365 * 24 * 3600;

/** A fresh random nonce (128 bits, base64). */
export function newNonce(): string {
  return crypto.randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy for an HTML page with `nonce`.
 * - scripts: only this response's nonce (and what those scripts load: 'strict-dynamic'); dev adds 'unsafe-eval' for React's debugging.
 * - styles: stylesheets from this site and nonce'd <style> elements; style ATTRIBUTES (React's
 *   `style={…}`, chart libraries) are allowed, as attributes cannot carry a nonce and cannot run code.
 * - connect-src and img-src add the S3 endpoint (presigned uploads and image previews).
 * - nothing may frame the app, plugins are off, forms post only here.
 * @param https adds upgrade-insecure-requests
 */
export function contentSecurityPolicy(nonce: string, opts: { https: boolean; dev: boolean }): string {
  // Browsers PUT uploads to, and show image previews from, the S3 endpoint directly (presigned URLs).
  const storage = storageBrowserOrigins()
    .map((o) => ` ${o}`)
    .join("");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    `img-src 'self' data: blob:${storage}`,
    "font-src 'self' data:",
    `connect-src 'self'${storage}${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * Whether this request reached the site over https: NEXTAUTH_URL is https (the public URL), or a
 * trusted proxy says so in X-Forwarded-Proto (TRUSTED_PROXIES; a client's own header does not count).
 */
export function servedOverHttps(headers: HeaderSource): boolean {
  return env().NEXTAUTH_URL?.startsWith("https://") === true || forwardedHttps(headers);
}

/** `Strict-Transport-Security` value (one year, subdomains). */
export const HSTS_VALUE = `max-age=${HSTS_MAX_AGE_S}; includeSubDomains`;
