import { describe, expect, it } from "vitest";
import { useTestStorage } from "../helpers/storage";
import { headObject, presignGet, presignPut, readObject, deleteObject, contentDisposition } from "@/lib/files/storage/s3";

const store = useTestStorage();

describe("S3 storage through presigned URLs (local S3-compatible server over HTTP)", () => {
  it("a browser-style PUT to the presigned URL stores the object; HEAD and a ranged GET read it back", async () => {
    const body = new TextEncoder().encode("gtin,serial\n09506000134352,ABC\n");
    const put = await presignPut("u/test/one/a.csv", { contentType: "text/csv", sizeBytes: body.byteLength });
    expect(put.url.startsWith(store.endpoint)).toBe(true);
    expect(put.url).toContain("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost");
    const res = await fetch(put.url, { method: "PUT", headers: put.headers, body });
    expect(res.status).toBe(200);
    expect(await headObject("u/test/one/a.csv")).toEqual({ sizeBytes: body.byteLength, contentType: "text/csv" });
    expect(new TextDecoder().decode(await readObject("u/test/one/a.csv", { start: 0, end: 3 }))).toBe("gtin");
    const get = await presignGet("u/test/one/a.csv", { filename: "Liste ü.csv" });
    const dl = await fetch(get.url);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-disposition")).toBe(contentDisposition("attachment", "Liste ü.csv", { utf8: !!process.env.S3_ENDPOINT }));
    expect(await dl.text()).toContain("ABC");
    await deleteObject("u/test/one/a.csv");
    expect(await headObject("u/test/one/a.csv")).toBeNull();
  });

  it("answers the browser's CORS preflight for a PUT", async () => {
    const put = await presignPut("u/test/two/b.png", { contentType: "image/png", sizeBytes: 10 });
    const res = await fetch(put.url, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeTruthy();
    expect((res.headers.get("access-control-allow-methods") ?? "").toUpperCase()).toContain("PUT");
  });

  it("refuses a PUT with a tampered signature or after the URL expired", async () => {
    const put = await presignPut("u/test/three/c.txt", { contentType: "text/plain", sizeBytes: 3 });
    const bad = put.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`);
    expect((await fetch(bad, { method: "PUT", headers: put.headers, body: "abc" })).status).toBe(403);
    const other = put.url.replace("u/test/three/c.txt", "u/other/three/c.txt");
    expect((await fetch(other, { method: "PUT", headers: put.headers, body: "abc" })).status).toBe(403);
    expect(await headObject("u/other/three/c.txt")).toBeNull();
  });
});
