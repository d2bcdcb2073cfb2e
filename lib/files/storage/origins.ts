import { env } from "@/lib/env";

/**
 * Origins the browser talks to for uploads and previews, for the Content-Security-Policy's
 * connect-src and img-src: the public endpoint's origin (S3_PUBLIC_ENDPOINT, else S3_ENDPOINT,
 * else the local server on 127.0.0.1:S3_LOCAL_PORT), and with virtual-hosted-style URLs
 * (S3_FORCE_PATH_STYLE=false) the bucket's sub-domain of it. Known from the environment alone
 * (no SDK), so the proxy can use it.
 */
export function storageBrowserOrigins(): string[] {
  const e = env();
  const endpoint = e.S3_PUBLIC_ENDPOINT ?? e.S3_ENDPOINT ?? `http://127.0.0.1:${e.S3_LOCAL_PORT}`;
  const u = new URL(endpoint);
  const origins = [u.origin];
  if (e.S3_ENDPOINT && !e.S3_FORCE_PATH_STYLE) origins.push(`${u.protocol}//${e.S3_BUCKET}.${u.host}`);
  return origins;
}
