import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite ships WASM and data files, the local S3 server (koa, winston) and SheetJS are big CommonJS
  // packages: keep them as runtime dependencies rather than bundling them.
  serverExternalPackages: ["@electric-sql/pglite", "@20minutes/s3rver", "xlsx"],
  // Files read at run time from the project folder (migrations, seed sample, model artifact).
  outputFileTracingIncludes: {
    "/**": ["./db/migrations/**", "./db/seed-data/**", "./lib/triage/local/artifacts/**"],
  },
  // Pages get a per-request nonce CSP (and HSTS over https) from proxy.ts; JSON APIs load nothing.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
