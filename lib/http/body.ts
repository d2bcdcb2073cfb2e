import { ApiError } from "./errors";

/** Largest JSON body accepted by default: 64 KB (65,536 bytes). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * Read a request body as JSON with a hard byte limit, streaming, so an oversized body is
 * rejected without buffering it whole.
 * @throws ApiError 413 payload_too_large over `maxBytes`; 415 when the content type is not
 *   JSON; 400 invalid_json when the body is empty or not valid JSON.
 */
export async function readJsonBody(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type.trim())) {
    throw new ApiError("unsupported_media_type", "Send the body as JSON (Content-Type: application/json)", {
      contentType: type || null,
    });
  }
  if (!req.body) throw new ApiError("invalid_json", "The request body is empty; send a JSON object");
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await readBodyBytes(req, maxBytes));
  if (!text.trim()) throw new ApiError("invalid_json", "The request body is empty; send a JSON object");
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError("invalid_json", "The request body is not valid JSON", {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}

/**
 * Read a request body's bytes with a hard limit, streaming, so an oversized body is rejected
 * without buffering it whole (any content type). An absent body reads as zero bytes.
 * @throws ApiError 413 payload_too_large when Content-Length or the bytes read exceed `maxBytes`.
 */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes`, { maxBytes });
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes`, { maxBytes });
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
