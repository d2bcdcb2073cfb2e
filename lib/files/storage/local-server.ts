import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import S3rver from "@20minutes/s3rver";
import { dataDir, env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";

/** Credentials the local server accepts (s3rver's built-in account); it listens on loopback only. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/**
 * CORS for the bucket, so the browser can PUT to presigned URLs and read images directly
 * (the S3 CORS configuration document; the same XML works on MinIO and AWS).
 */
export const BUCKET_CORS_XML = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

interface LocalServer {
  endpoint: string;
  close: () => Promise<void>;
}

const g = globalThis as unknown as { __switchboardLocalS3?: Promise<LocalServer> };

/**
 * Start (once per process) the embedded S3-compatible server used when `S3_ENDPOINT` is unset:
 * @20minutes/s3rver on 127.0.0.1:`S3_LOCAL_PORT`, storing under `DATA_DIR/s3` (a temporary
 * folder when DATA_DIR is `memory://`), with the bucket created and CORS set.
 *
 * When the port is taken by another Switchboard process on this machine (a worker next to the
 * web server), that server is used: both store under the same folder.
 * @returns the endpoint URL, e.g. `http://127.0.0.1:4568`
 * @throws when the port is taken by something that is not an S3 server
 */
export function startLocalS3(): Promise<LocalServer> {
  g.__switchboardLocalS3 ??= (async () => {
    const e = env();
    const dir = dataDir() === "memory://" ? fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-s3-")) : path.join(dataDir(), "s3");
    fs.mkdirSync(dir, { recursive: true });
    const server = new S3rver({
      address: "127.0.0.1",
      port: e.S3_LOCAL_PORT,
      silent: true,
      directory: dir,
      vhostBuckets: false,
      configureBuckets: [{ name: e.S3_BUCKET, configs: [BUCKET_CORS_XML] }],
    });
    try {
      // s3rver's run() never settles when the port is taken (its listen error is an unhandled
      // 'error' event, which kills the process): find out first, and take the fallback below.
      if (e.S3_LOCAL_PORT !== 0 && (await portTaken(e.S3_LOCAL_PORT))) {
        throw Object.assign(new Error(`127.0.0.1:${e.S3_LOCAL_PORT} is in use`), { code: "EADDRINUSE" });
      }
      const addr = await server.run();
      // Keep idle connections longer than clients do (undici 4 s, browsers ~60 s), so a client
      // never reuses a socket the server is closing at that moment (ECONNRESET).
      if (server.httpServer) server.httpServer.keepAliveTimeout = 65_000;
      const endpoint = `http://127.0.0.1:${addr.port}`;
      logger.info({ endpoint, dir }, "local S3-compatible server started (S3_ENDPOINT unset)");
      return { endpoint, close: () => server.close().catch(() => {}) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
      const endpoint = `http://127.0.0.1:${e.S3_LOCAL_PORT}`;
      const res = await fetch(`${endpoint}/`, { method: "GET" }).catch(() => null);
      const body = res ? await res.text() : "";
      if (!body.includes("ListAllMyBucketsResult") && !body.includes("<Error>")) {
        throw new Error(`S3_LOCAL_PORT ${e.S3_LOCAL_PORT} is in use by something that is not an S3 server; set S3_LOCAL_PORT or S3_ENDPOINT`);
      }
      logger.info({ endpoint }, "using the local S3-compatible server another process started");
      return { endpoint, close: async () => {} };
    }
  })();
  g.__switchboardLocalS3.catch(() => {
    g.__switchboardLocalS3 = undefined;
  });
  return g.__switchboardLocalS3;
}

/** Stop this process's local server (tests, shutdown). */
export async function stopLocalS3(): Promise<void> {
  const p = g.__switchboardLocalS3;
  g.__switchboardLocalS3 = undefined;
  if (p) await (await p.catch(() => null))?.close();
}

/** Whether something already listens on 127.0.0.1:`port` (a listen attempt fails with EADDRINUSE). */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(true) : reject(err)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}
