import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** Same as lib/mail/admin/outbox.ts OUTBOX_HTML_CSP (that module is server-only). */
export const OUTBOX_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox; frame-ancestors 'self'";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // gzip in the app unless HTTP_COMPRESSION=off: behind a compressing proxy (compose's Caddy
  // `encode zstd gzip`) the proxy does it, and the app instances, the part that scales out, keep
  // that CPU (docs/DEPLOYMENT.md). `next start` reads this when the server starts; a standalone
  // build (the Docker image) keeps the value it was built with (lib/http/compression.ts warns).
  compress: process.env.HTTP_COMPRESSION !== "off",
  // The Docker image builds with NEXT_OUTPUT=standalone (a minimal server.js plus only the traced
  // node_modules); `npm start`, `npm run demo` and the e2e runner keep the default `next start` build.
  ...(process.env.NEXT_OUTPUT === "standalone" ? { output: "standalone" as const } : {}),
  // PGlite ships WASM and data files, the local S3 server (koa, winston) and SheetJS are big CommonJS
  // packages: keep them as runtime dependencies rather than bundling them. React Email renders
  // with react-dom/server, which refuses to load under the react-server condition that route
  // handlers and server actions are bundled with: loaded at run time, it gets the plain build.
  serverExternalPackages: ["@electric-sql/pglite", "@20minutes/s3rver", "xlsx", "@react-email/render", "@react-email/components"],
  // Files read at run time from the project folder (migrations, seed sample, model artifact).
  outputFileTracingIncludes: {
    "/**": ["./db/migrations/**", "./db/seed-data/**", "./lib/triage/local/artifacts/**"],
  },
  // Pages get a per-request nonce CSP (and HSTS over https) from proxy.ts; JSON APIs load nothing.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
      // The outbox's rendered-HTML preview is framed by /admin/outbox/{id} (<iframe sandbox>): a
      // sandboxing CSP of its own, framable by this site only. Later rules override earlier ones;
      // the value is OUTBOX_HTML_CSP in lib/mail/admin/outbox.ts (tests/api/mail-admin.test.ts checks both agree).
      { source: "/api/admin/outbox/:id/html", headers: [{ key: "Content-Security-Policy", value: OUTBOX_HTML_CSP }, { key: "X-Frame-Options", value: "SAMEORIGIN" }] },
    ];
  },
};

export default nextConfig;
