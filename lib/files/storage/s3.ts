import "server-only";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from "./local-server";

/** Life of a presigned PUT, in s. */
export const PUT_URL_TTL_S = 15 * 60;
/** Life of a presigned GET (downloads, image previews), in s. */
export const GET_URL_TTL_S = 5 * 60;

interface Storage {
  /** Client for server-side calls (HEAD, GET, DELETE) at S3_ENDPOINT. */
  client: S3Client;
  /** Client that signs URLs for the browser (S3_PUBLIC_ENDPOINT when set). */
  signer: S3Client;
  bucket: string;
  endpoint: string;
  publicEndpoint: string;
  local: boolean;
}

const g = globalThis as unknown as { __switchboardStorage?: Promise<Storage> };

/**
 * The object store, created once per process: S3 at `S3_ENDPOINT` (MinIO, AWS S3, any
 * S3-compatible service), or the local server (lib/files/storage/local-server.ts) when it is
 * unset. The bucket is created (with CORS for browser uploads) if missing; on AWS without
 * that permission it must exist already.
 * @throws when the store cannot be reached or the bucket cannot be created
 */
export function storage(): Promise<Storage> {
  g.__switchboardStorage ??= (async () => {
    const e = env();
    const local = !e.S3_ENDPOINT;
    const endpoint = e.S3_ENDPOINT ?? (await startLocalS3()).endpoint;
    const publicEndpoint = e.S3_PUBLIC_ENDPOINT ?? endpoint;
    const credentials = local
      ? LOCAL_S3_CREDENTIALS
      : e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined; // AWS default credential chain
    const make = (url: string) =>
      new S3Client({
        endpoint: url,
        region: e.S3_REGION,
        forcePathStyle: local || e.S3_FORCE_PATH_STYLE,
        credentials,
        // Checksums on every PUT would be signed into presigned URLs the browser cannot match.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
    const s: Storage = { client: make(endpoint), signer: make(publicEndpoint), bucket: e.S3_BUCKET, endpoint, publicEndpoint, local };
    if (!local) await ensureBucket(s);
    return s;
  })();
  g.__switchboardStorage.catch(() => {
    g.__switchboardStorage = undefined;
  });
  return g.__switchboardStorage;
}

async function ensureBucket(s: Storage): Promise<void> {
  try {
    await s.client.send(new HeadBucketCommand({ Bucket: s.bucket }));
    return;
  } catch (err) {
    const status = (err as S3ServiceException).$metadata?.httpStatusCode;
    if (status !== 404) throw err;
  }
  await s.client.send(new CreateBucketCommand({ Bucket: s.bucket }));
  try {
    await s.client.send(
      new PutBucketCorsCommand({
        Bucket: s.bucket,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["PUT", "GET", "HEAD"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"], MaxAgeSeconds: 3000 }],
        },
      }),
    );
  } catch (err) {
    logger.warn({ err }, "bucket created but CORS could not be set; browser uploads need CORS on the bucket");
  }
  logger.info({ bucket: s.bucket }, "created the S3 bucket");
}

/** Forget the store (tests switch endpoints between files). */
export function resetStorageForTests(): void {
  g.__switchboardStorage = undefined;
}

/** A presigned request the browser performs as is. */
export interface PresignedRequest {
  url: string;
  method: "PUT" | "GET";
  /** Headers the browser must send with it (signed: a different value is refused by S3). */
  headers: Record<string, string>;
  /** ISO time when the URL stops working. */
  expiresAt: string;
}

/**
 * Presigned PUT for `key`, bound to the content type and the exact length in bytes (both are
 * signed headers: real S3 refuses a PUT whose Content-Type or Content-Length differs).
 */
export async function presignPut(key: string, opts: { contentType: string; sizeBytes: number; ttlS?: number }): Promise<PresignedRequest> {
  const s = await storage();
  const ttlS = opts.ttlS ?? PUT_URL_TTL_S;
  const url = await getSignedUrl(
    s.signer,
    new PutObjectCommand({ Bucket: s.bucket, Key: key, ContentType: opts.contentType, ContentLength: opts.sizeBytes }),
    { expiresIn: ttlS, signableHeaders: new Set(["content-type", "content-length"]) },
  );
  return { url, method: "PUT", headers: { "Content-Type": opts.contentType }, expiresAt: new Date(Date.now() + ttlS * 1000).toISOString() };
}

/**
 * Presigned GET for `key`, valid {@link GET_URL_TTL_S} s. `inline` lets images render in the
 * page; otherwise the browser downloads under `filename` (RFC 6266 Content-Disposition).
 */
export async function presignGet(key: string, opts: { filename: string; contentType?: string; inline?: boolean; ttlS?: number }): Promise<PresignedRequest> {
  const s = await storage();
  const ttlS = opts.ttlS ?? GET_URL_TTL_S;
  const url = await getSignedUrl(
    s.signer,
    new GetObjectCommand({
      Bucket: s.bucket,
      Key: key,
      // s3rver signs query values with encodeURIComponent, not RFC 3986, so the `'` and `*` of
      // RFC 8187's filename* break its signature check: the local server gets the ASCII name only.
      ResponseContentDisposition: contentDisposition(opts.inline ? "inline" : "attachment", opts.filename, { utf8: !s.local }),
      ...(opts.contentType ? { ResponseContentType: opts.contentType } : {}),
    }),
    { expiresIn: ttlS },
  );
  return { url, method: "GET", headers: {}, expiresAt: new Date(Date.now() + ttlS * 1000).toISOString() };
}

/**
 * RFC 6266 Content-Disposition: an ASCII `filename` and, unless `utf8` is false, the exact
 * UTF-8 name as `filename*` (RFC 8187).
 */
export function contentDisposition(type: "inline" | "attachment", filename: string, opts: { utf8?: boolean } = {}): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const star = opts.utf8 === false ? "" : `; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  return `${type}; filename="${ascii}"${star}`;
}

/** Size in bytes and content type of a stored object, or null when there is none. */
export async function headObject(key: string): Promise<{ sizeBytes: number; contentType: string | null } | null> {
  const s = await storage();
  try {
    const r = await s.client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: key }));
    return { sizeBytes: Number(r.ContentLength ?? 0), contentType: r.ContentType ?? null };
  } catch (err) {
    const status = (err as S3ServiceException).$metadata?.httpStatusCode;
    if (status === 404 || (err as Error).name === "NotFound") return null;
    throw err;
  }
}

/**
 * Bytes of a stored object: all of it, or `[start, end]` inclusive (an HTTP Range).
 * @throws when the object does not exist
 */
export async function readObject(key: string, range?: { start: number; end: number }): Promise<Uint8Array> {
  const s = await storage();
  const r = await s.client.send(
    new GetObjectCommand({ Bucket: s.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
  );
  if (!r.Body) return new Uint8Array();
  return r.Body.transformToByteArray();
}

/** Store bytes under `key` (reports, tests, the benchmark). */
export async function putObject(key: string, body: Uint8Array, contentType: string): Promise<void> {
  const s = await storage();
  await s.client.send(new PutObjectCommand({ Bucket: s.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength }));
}

/** Delete an object; deleting a missing one is not an error. */
export async function deleteObject(key: string): Promise<void> {
  const s = await storage();
  await s.client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: key }));
}
