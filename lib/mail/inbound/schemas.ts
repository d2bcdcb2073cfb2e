import { z } from "zod";

/** The JSON form of POST /api/inbound/email: the raw RFC 822 message, base64-encoded (standard alphabet, RFC 4648 §4). */
export const InboundEmailJsonSchema = z.strictObject({
  raw: z
    .string()
    .min(1, "Send the raw message, base64-encoded")
    .regex(/^[A-Za-z0-9+/=\r\n]+$/, "raw must be base64 (RFC 4648, standard alphabet)")
    .describe("The raw RFC 822 message, base64-encoded"),
});
