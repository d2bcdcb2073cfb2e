import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { storage } from "@/lib/files/storage/s3";
import type { ObjectEntry } from "./manifest";

/** Folder of copied objects inside a backup (`objects/<key>`). */
export const OBJECTS_DIR = "objects";

/**
 * Every object of the configured bucket (S3_BUCKET at S3_ENDPOINT, or the local server under
 * DATA_DIR/s3), paged through ListObjectsV2: key, size in bytes, ETag (quotes removed), last
 * modified (ISO). Sorted by key.
 * @throws when the store cannot be reached
 */
export async function listObjects(): Promise<{ bucket: string; list: ObjectEntry[] }> {
  const s = await storage();
  const list: ObjectEntry[] = [];
  let token: string | undefined;
  do {
    const cmd = new ListObjectsV2Command({ Bucket: s.bucket, ContinuationToken: token });
    // The SDK asks for `/<bucket>/?list-type=2`; the local server (s3rver) signs `/<bucket>` and
    // refuses the signature, so drop the trailing slash before signing (local server only).
    if (s.local) {
      cmd.middlewareStack.add(
        (next) => async (args) => {
          const req = args.request as { path?: string };
          if (req.path && /^\/[^/]+\/$/.test(req.path)) req.path = req.path.slice(0, -1);
          return next(args);
        },
        { step: "build", name: "localS3BucketPath" },
      );
    }
    const page = await s.client.send(cmd);
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      list.push({ key: o.Key, size: o.Size ?? 0, etag: (o.ETag ?? "").replace(/"/g, ""), lastModified: o.LastModified?.toISOString() ?? null });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { bucket: s.bucket, list };
}

/** Local path of an object inside a backup folder; refuses keys that would escape it. */
function objectPath(dir: string, key: string): string {
  const root = path.resolve(dir, OBJECTS_DIR);
  const p = path.resolve(root, key);
  if (!p.startsWith(root + path.sep)) throw new Error(`object key escapes the backup folder: ${key}`);
  return p;
}

/** Download each listed object to `dir/objects/<key>` (`--with-objects`). */
export async function downloadObjects(dir: string, list: ObjectEntry[]): Promise<void> {
  const s = await storage();
  for (const o of list) {
    const file = objectPath(dir, o.key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const r = await s.client.send(new GetObjectCommand({ Bucket: s.bucket, Key: o.key }));
    await pipeline(r.Body as Readable, fs.createWriteStream(file));
  }
}

/**
 * Upload the objects copied into a backup (`dir/objects/`) back to the configured bucket.
 * @returns how many were uploaded
 * @throws Error when a listed object's file is missing from the backup
 */
export async function uploadObjects(dir: string, list: ObjectEntry[]): Promise<number> {
  const s = await storage();
  let n = 0;
  for (const o of list) {
    const file = objectPath(dir, o.key);
    if (!fs.existsSync(file)) throw new Error(`backup lacks the object ${o.key} (${file})`);
    await s.client.send(new PutObjectCommand({ Bucket: s.bucket, Key: o.key, Body: fs.readFileSync(file), ContentLength: o.size }));
    n++;
  }
  return n;
}
