import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";

/**
 * Whether HTTP_COMPRESSION asks for something the running server cannot do: a standalone build
 * (the Docker image's server.js) starts with the next.config it was built with, passed in
 * `__NEXT_PRIVATE_STANDALONE_CONFIG`, so its `compress` is fixed at build time; `next start`
 * reads next.config.ts at start and always agrees.
 *
 * @param wanted  HTTP_COMPRESSION (`on` | `off`).
 * @param standaloneConfig  the JSON Next passes a standalone server, or undefined for `next start`.
 * @returns a message naming the mismatch and its fix, or null when the server does what is asked.
 */
export function compressionMismatch(wanted: "on" | "off", standaloneConfig: string | undefined): string | null {
  if (!standaloneConfig) return null;
  let built: unknown;
  try {
    built = (JSON.parse(standaloneConfig) as { compress?: unknown }).compress;
  } catch {
    return null;
  }
  const builtOn = built !== false;
  if (builtOn === (wanted === "on")) return null;
  return `HTTP_COMPRESSION=${wanted} has no effect: this build was made with compression ${builtOn ? "on" : "off"}; rebuild the image with --build-arg HTTP_COMPRESSION=${wanted}`;
}

/** Log a warning at start-up when {@link compressionMismatch} finds one. */
export function warnOnCompressionMismatch(): void {
  const m = compressionMismatch(env().HTTP_COMPRESSION, process.env.__NEXT_PRIVATE_STANDALONE_CONFIG);
  if (m) logger.warn(m);
}
