import { z } from "zod";
import { text, TicketKeySchema } from "@/lib/tickets/schemas";
import { UPLOAD_KINDS } from "@/lib/files/types";

/*
 * Upload payloads: one zod schema each, shared by the route handlers, the pages' fetch calls
 * and the OpenAPI document. Imported by client components: no server-only imports here.
 */

/** Content types a sheet may be declared as (browsers send any of these for .csv/.xlsx/.xls). */
export const SHEET_CONTENT_TYPES = [
  "text/csv",
  "text/plain",
  "application/csv",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/octet-stream",
] as const;

/** Content types an attachment may be declared as; the stored bytes are checked again (magic bytes). */
export const ATTACHMENT_CONTENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
  "text/csv",
  "text/x-log",
  "application/json",
  "application/zip",
  "application/x-zip-compressed",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/octet-stream",
] as const;

/** File names: no path separators or control characters, at most 255 characters. */
export const FilenameSchema = text()
  .trim()
  .min(1, "The file needs a name")
  .max(255, "File names can have at most 255 characters")
  .refine((s) => !/[\\/\u0000-\u001f\u007f]/.test(s), { message: "File names cannot contain slashes or control characters" })
  .refine((s) => s !== "." && s !== "..", { message: "Not a file name" });

export const UploadKindSchema = z.enum(UPLOAD_KINDS).describe("attachment: a file on a ticket; serials, compliance, employees: sheets processed by a job");

/** POST /api/uploads */
export const CreateUploadSchema = z
  .strictObject({
    filename: FilenameSchema,
    contentType: z
      .string()
      .trim()
      .toLowerCase()
      .max(120)
      .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, "A media type like text/csv")
      .describe("Media type the browser will send; the presigned PUT is bound to it"),
    size: z.number().int("Size is a whole number of bytes").positive("The file is empty").describe("Exact size in bytes; the presigned PUT is bound to it"),
    kind: UploadKindSchema,
    ticketKey: TicketKeySchema.optional().describe("Attach to this ticket (attachments) or link the sheet to it"),
    ruleSetId: z.uuid().optional().describe("compliance sheets: the rule set to check against"),
    dataset: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "Dataset names are lower-case letters, digits and dashes")
      .optional()
      .describe("Name other rule sets use to reference this sheet, e.g. batch-register"),
  })
  .describe("Ask for a presigned PUT URL");
export type CreateUploadInput = z.output<typeof CreateUploadSchema>;

/** GET /api/uploads/{id}/findings */
export const FindingsQuerySchema = z.strictObject({
  code: z.string().regex(/^[a-z_]{1,60}$/, "A finding code like invalid_gtin").optional(),
  severity: z.enum(["error", "warning", "info"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional().describe("`nextCursor` of the previous page"),
});
export type FindingsQuery = z.output<typeof FindingsQuerySchema>;

/** GET /api/uploads/{id}/report */
export const ReportQuerySchema = z.strictObject({ format: z.enum(["xlsx", "csv"]).default("xlsx") });

/** GET /api/uploads */
export const ListUploadsQuerySchema = z.strictObject({
  kind: UploadKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** An upload as the API returns it. */
export interface UploadDTO {
  id: string;
  kind: (typeof UPLOAD_KINDS)[number];
  filename: string;
  size: number;
  contentType: string;
  status: "pending" | "checking" | "processing" | "done" | "failed";
  /** 0–1 */
  progress: number;
  error?: { code: string; message: string; details?: unknown };
  summary?: Record<string, unknown>;
  findingsCount: number;
  ticketKey?: string;
  ruleSetId?: string;
  dataset?: string;
  insights?: string;
  insightsSource?: string;
  owner: string;
  createdAt: string;
  processedAt?: string;
}
