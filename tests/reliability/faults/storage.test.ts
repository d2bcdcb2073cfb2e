import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import S3rver from "@20minutes/s3rver";
import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import * as uploadsRoute from "@/app/api/uploads/route";
import * as uploadRoute from "@/app/api/uploads/[id]/route";
import * as completeRoute from "@/app/api/uploads/[id]/complete/route";
import * as ticketsRoute from "@/app/api/tickets/route";
import * as commentsRoute from "@/app/api/tickets/[key]/comments/route";
import { resetEnvForTests } from "@/lib/env";
import { BUCKET_CORS_XML, LOCAL_S3_CREDENTIALS, stopLocalS3 } from "@/lib/files/storage/local-server";
import { readObject, resetStorageForTests } from "@/lib/files/storage/s3";
import { useTestDb } from "../../helpers/db";
import { makeActor, type Actor } from "../../helpers/fixtures";
import { call, type CallResult } from "../../helpers/http";
import { TcpProxy } from "../../helpers/tcp-proxy";

/*
 * Fault: the object store is down during an upload. A real S3-compatible server (s3rver, as the
 * embedded default uses) sits behind a TcpProxy; `down()` is the store stopping.
 * - First use while down, with S3_ENDPOINT = the proxy: the store check fails.
 * - Then the embedded default through the proxy: S3_LOCAL_PORT = the proxy's port, which the app
 *   finds taken by an S3 server and uses (as a worker next to the web server does).
 * Asking for a presigned URL, PUTting the bytes and confirming the upload while it is down give
 * the user a clear error (a 4xx or 503 `{error:{code,message}}`, never a 500), leave no upload
 * row that looks complete, and the same upload succeeds end to end once the store is back.
 */

const t = useTestDb();
let server: S3rver;
let dir: string;
let proxy: TcpProxy;
let alice: Actor;
const ENV_KEYS = ["S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_FORCE_PATH_STYLE", "S3_LOCAL_PORT"];
const figures: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-faults-s3-"));
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, vhostBuckets: false, configureBuckets: [{ name: "switchboard", configs: [BUCKET_CORS_XML] }] });
  const addr = await server.run();
  proxy = new TcpProxy({ host: "127.0.0.1", port: addr.port });
  await proxy.up();
  alice = await makeActor(t.db, "storage-fault-alice@corp.test", "requester");
});

afterAll(async () => {
  for (const k of ENV_KEYS) delete process.env[k];
  resetEnvForTests();
  resetStorageForTests();
  await stopLocalS3();
  await proxy?.down();
  await server?.close().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`[faults:storage]\n${figures.join("\n")}`);
});

/** Point the app at the store through the proxy: S3_ENDPOINT (`external`) or the embedded default's port. */
function useStore(mode: "external" | "embedded") {
  for (const k of ENV_KEYS) delete process.env[k];
  if (mode === "external") {
    Object.assign(process.env, {
      S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
      S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    });
  } else {
    process.env.S3_LOCAL_PORT = String(proxy.port);
  }
  resetEnvForTests();
  resetStorageForTests();
}

const png = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"));

/** The answer of a failed call must be a clear client-facing error: 4xx or 503, `{error:{code,message}}`. */
function expectClearError(r: CallResult, what: string) {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).not.toBe(500);
  expect(r.status === 503 || (r.status >= 400 && r.status < 500), `${what}: status ${r.status}`).toBe(true);
  const body = r.body as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, what).toBe("string");
  expect(typeof body.error?.message, what).toBe("string");
  expect(String(body.error?.message), what).not.toBe("");
}

const presign = (name: string) =>
  call<{ id: string; url: string; headers: Record<string, string> }>(uploadsRoute.POST, {
    path: "/api/uploads",
    key: alice.key,
    body: { filename: name, contentType: "image/png", size: png.byteLength, kind: "attachment" },
  });
const complete = (id: string) => call<{ status?: string; upload?: { status: string } }>(completeRoute.POST, { path: `/api/uploads/${id}/complete`, key: alice.key, params: { id } });
const uploadStatus = async (id: string) => {
  const [r] = await rows<{ status: string; completed_at: unknown }>(t.db, sql`SELECT status::text AS status, completed_at FROM uploads WHERE id = ${id}`);
  return r;
};
/** The browser's PUT to the presigned URL: its status, or the network error's message. */
async function putBytes(p: { url: string; headers: Record<string, string> }): Promise<number | string> {
  try {
    return (await fetch(p.url, { method: "PUT", headers: p.headers, body: Buffer.from(png) })).status;
  } catch (err) {
    return `network error: ${(err as Error).message}`;
  }
}

describe("storage down during an upload", () => {
  it("a presigned URL asked for while the store is down (first use: the bucket check fails) is a clear error and writes no upload row", async () => {
    await proxy.down();
    useStore("external"); // a fresh process: the store was never reached
    const [before] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM uploads`);
    const r = await presign("down.png");
    expectClearError(r, "presign while down");
    const [after] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM uploads`);
    expect(after.n).toBe(before.n);
    figures.push(`presign while down: ${r.status} ${JSON.stringify((r.body as unknown as { error: { code: string } }).error.code)}, upload rows +${after.n - before.n}`);

    await proxy.up();
    useStore("embedded");
    const ok = await presign("up.png");
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    figures.push(`presign after it returned: ${ok.status}`);
  });

  it("PUT and confirm while the store is down fail clearly, the upload stays pending (not complete); after it returns the same upload completes and attaches", async () => {
    const p = await presign("screenshot.png");
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    await proxy.down();

    const put = await putBytes(p.body);
    expect(put).toMatch(/^network error/);
    const c1 = await complete(p.body.id);
    expectClearError(c1, "complete while down (nothing stored)");
    expect((await uploadStatus(p.body.id)).status).toBe("pending");

    await proxy.up();
    expect(await putBytes(p.body)).toBe(200);
    // Stored, but the store goes down again before the confirmation.
    await proxy.down();
    const c2 = await complete(p.body.id);
    expectClearError(c2, "complete while down (bytes stored)");
    expect(await uploadStatus(p.body.id)).toMatchObject({ status: "pending", completed_at: null });
    figures.push(`PUT while down: ${put}; complete while down: ${c1.status} ${(c1.body as { error: { code: string } }).error.code} and ${c2.status} ${(c2.body as { error: { code: string } }).error.code}; row stays pending`);

    // Retry once it is back: complete, attach to a reply, and the bytes are the ones uploaded.
    await proxy.up();
    const c3 = await complete(p.body.id);
    expect(c3.status, JSON.stringify(c3.body)).toBe(200);
    const got = await call<{ status: string }>(uploadRoute.GET, { path: `/api/uploads/${p.body.id}`, key: alice.key, params: { id: p.body.id } });
    expect(got.body.status).toBe("done");
    const ticket = await call<{ ticket: { key: string } }>(ticketsRoute.POST, {
      path: "/api/tickets",
      key: alice.key,
      body: { title: "Screen flickers", description: "My screen flickers every few seconds since this morning, screenshot attached.", email: alice.email },
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const key = ticket.body.ticket.key;
    const reply = await call(commentsRoute.POST, { path: `/api/tickets/${key}/comments`, key: alice.key, params: { key }, body: { body: "Screenshot attached.", attachmentIds: [p.body.id] } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const [row] = await rows<{ storage_key: string; comment_id: unknown }>(t.db, sql`SELECT storage_key, comment_id FROM uploads WHERE id = ${p.body.id}`);
    expect(row.comment_id).not.toBeNull();
    expect(Buffer.from(await readObject(row.storage_key)).equals(Buffer.from(png))).toBe(true);
    figures.push(`after it returned: complete ${c3.status} (done), attached to a reply of ${key}, bytes intact`);
  });
});
