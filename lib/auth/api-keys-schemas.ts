import { z } from "zod";
import { text } from "@/lib/tickets/schemas";
import { API_SCOPES } from "./scopes";

/**
 * Payloads of the API key admin (form on /admin/api-keys, POST /api/admin/api-keys, OpenAPI).
 * `scopes`: a non-empty subset of API_SCOPES (the owner's role caps it: see
 * lib/auth/api-keys-admin.ts). Expiry: either `expiresAt` (ISO 8601, must be in the future)
 * or `expiresInDays` (1–3650), not both; neither = never expires.
 */
export const CreateApiKeySchema = z
  .object({
    name: text().trim().min(1, "Name is required").max(80),
    /** The user the key acts as (its role caps the scopes); default: the admin creating it. */
    userId: z.uuid().nullish(),
    scopes: z.array(z.enum(API_SCOPES)).min(1, "Pick at least one scope").max(API_SCOPES.length),
    expiresAt: z.iso.datetime({ offset: true }).nullish(),
    expiresInDays: z.coerce.number().int().min(1).max(3650).nullish(),
  })
  .refine((v) => !(v.expiresAt && v.expiresInDays), { message: "Give expiresAt or expiresInDays, not both", path: ["expiresAt"] });
export type CreateApiKeyInput = z.infer<typeof CreateApiKeySchema>;

/** An API key as listed: never the secret nor its hash. Times ISO 8601. */
export const ApiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The first 10 characters of the key (`sb_…`), to tell keys apart. */
  prefix: z.string(),
  role: z.enum(["requester", "agent", "admin"]),
  owner: z.object({ id: z.uuid(), email: z.string(), name: z.string() }).nullable(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.object({ id: z.uuid(), email: z.string() }).nullable(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  requestCount: z.number().int(),
  revokedAt: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type ApiKeyDTO = z.infer<typeof ApiKeySchema>;

/** POST response: the key and its secret (shown once, never again). */
export const CreatedApiKeySchema = z.object({ key: ApiKeySchema, secret: z.string() });
export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) });
