import http from "node:http";
import { expect, test } from "@playwright/test";
import { startPrivateInstance, type PrivateInstance } from "./private-instance";

/*
 * HTTP_COMPRESSION (next.config.ts `compress`) on the production build: the shared e2e server
 * (default on) gzips a page for a client that accepts gzip; an instance started with
 * HTTP_COMPRESSION=off, as compose runs the app behind its compressing Caddy, answers the same
 * page uncompressed. Raw node:http, which neither asks for nor undoes any encoding by itself.
 */

/** GET `url` with `Accept-Encoding: gzip`; the status, Content-Encoding and body size (bytes, as sent). */
function rawGet(url: string): Promise<{ status: number; encoding: string | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { "accept-encoding": "gzip" } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

let app: PrivateInstance | null = null;
let failed = false;

test.afterAll(async () => {
  await app?.stop(failed);
});

test("the app gzips pages by default, and leaves them uncompressed with HTTP_COMPRESSION=off", async ({ baseURL }) => {
  test.setTimeout(240_000);
  failed = true;
  const on = await rawGet(`${baseURL}/signin`);
  expect(on.status).toBe(200);
  expect(on.encoding).toBe("gzip");

  app = await startPrivateInstance({ prefix: "nocompress", users: [], env: { HTTP_COMPRESSION: "off" } });
  const off = await rawGet(`${app.url}/signin`);
  expect(off.status).toBe(200);
  expect(off.encoding).toBeUndefined();
  // The same page, sent as is: several times the gzipped size.
  expect(off.bytes).toBeGreaterThan(on.bytes * 2);
  failed = false;
});
