import { z } from "zod";
import { INBOUND_STATUSES, MAILBOX_ACTIONS, MAIL_STATUSES } from "@/db/schema/mail";
import { text } from "@/lib/tickets/schemas";
import { MAIL_KINDS, OPTIONAL_MAIL_KINDS, type OptionalMailKind } from "./kinds";

/*
 * Zod schemas of the mail admin and preferences payloads: the admin API routes
 * (/api/admin/outbox, /api/admin/mailboxes, /api/admin/inbound), /api/mail/preferences, the
 * admin forms' server actions and the preferences page. Imported by client components, so
 * nothing here may import server-only modules.
 */

/** Kinds a requester may switch off: the mails about their own requests. */
export const REQUESTER_MAIL_KINDS = ["ticket_received", "agent_reply", "waiting_on_you", "resolved", "reopened"] as const satisfies readonly OptionalMailKind[];

/** The optional kinds a role sees on the preferences page (agents and admins: all of them). */
export function mailKindsForRole(role: "requester" | "agent" | "admin"): readonly OptionalMailKind[] {
  return role === "requester" ? REQUESTER_MAIL_KINDS : OPTIONAL_MAIL_KINDS;
}

/**
 * PUT /api/mail/preferences: kind → on/off for the signed-in user; kinds left out keep their
 * setting. At least one kind. Only optional kinds (lib/mail/kinds.ts OPTIONAL_MAIL_KINDS).
 */
export const UpdatePreferencesSchema = z
  .strictObject(Object.fromEntries(OPTIONAL_MAIL_KINDS.map((k) => [k, z.boolean().optional()])) as Record<OptionalMailKind, z.ZodOptional<z.ZodBoolean>>)
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Send at least one kind to switch on or off" });
export type UpdatePreferencesInput = z.output<typeof UpdatePreferencesSchema>;

const Id = z.string().regex(/^[1-9][0-9]{0,15}$/, "Use the nextCursor of the previous page");

/** GET /api/admin/outbox query: newest first, filtered, paged by cursor (the last id seen). */
export const ListOutboxQuerySchema = z.strictObject({
  status: z.enum(MAIL_STATUSES).optional().describe("outbox, queued, sent, failed or suppressed"),
  kind: z.enum([...MAIL_KINDS, "system"]).optional().describe("A mail kind (lib/mail/kinds.ts)"),
  to: text().trim().toLowerCase().min(1).max(254).optional().describe("Recipient address contains this text"),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1-100; default 50"),
  cursor: Id.optional().describe("nextCursor of the previous page"),
});
export type ListOutboxQuery = z.output<typeof ListOutboxQuerySchema>;

/** GET /api/admin/inbound query: newest first, optional status filter, paged by cursor. */
export const ListInboundQuerySchema = z.strictObject({
  status: z.enum(INBOUND_STATUSES).optional().describe("received, processed, ignored, bounced, rate_limited or failed"),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1-100; default 50"),
  cursor: Id.optional().describe("nextCursor of the previous page"),
});
export type ListInboundQuery = z.output<typeof ListInboundQuerySchema>;

/** An IMAP folder name: one line, no NUL, at most 200 characters. */
const Folder = text()
  .trim()
  .min(1, "Enter a folder")
  .max(200, "A folder name has at most 200 characters")
  .refine((s) => !/[\r\n]/.test(s), { message: "A folder name must be on one line" });

/** DNS name or IP literal (no scheme, no port, no path). */
const Host = text()
  .trim()
  .min(1, "Enter the IMAP server's host name")
  .max(253, "A host name has at most 253 characters")
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9a-fA-F:]+)$/, "Enter a host name such as imap.example.com (no scheme, port or path)");

const mailboxFields = {
  name: text().trim().min(1, "Enter a name").max(80, "The name has at most 80 characters"),
  host: Host,
  port: z.coerce.number({ message: "Enter a port number" }).int("Enter a whole port number").min(1, "Ports are 1-65535").max(65535, "Ports are 1-65535"),
  secure: z.boolean().describe("Implicit TLS (port 993); false: plain or STARTTLS when offered (143)"),
  username: text().trim().min(1, "Enter the user name").max(254, "The user name has at most 254 characters"),
  password: text().min(1, "Enter the password").max(1000, "The password has at most 1,000 characters").describe("Write-only: stored encrypted, never returned"),
  folder: Folder.describe("Folder to read; default INBOX"),
  processedAction: z.enum(MAILBOX_ACTIONS).describe("flag (mark \\Seen) or move (to moveTo)"),
  moveTo: Folder.nullable().describe("Target folder when processedAction is move"),
  active: z.boolean(),
};

/**
 * POST /api/admin/mailboxes and the create form. `moveTo` is required when `processedAction`
 * is `move`; the password is sealed with lib/crypto/secrets.ts and never returned.
 */
export const CreateMailboxSchema = z
  .strictObject({
    name: mailboxFields.name,
    host: mailboxFields.host,
    port: mailboxFields.port.default(993),
    secure: mailboxFields.secure.default(true),
    username: mailboxFields.username,
    password: mailboxFields.password,
    folder: mailboxFields.folder.default("INBOX"),
    processedAction: mailboxFields.processedAction.default("flag"),
    moveTo: mailboxFields.moveTo.optional(),
    active: mailboxFields.active.default(true),
  })
  .superRefine((v, ctx) => {
    if (v.processedAction === "move" && !v.moveTo) ctx.addIssue({ code: "custom", path: ["moveTo"], message: "Enter the folder processed mail is moved to" });
  });
export type CreateMailboxInput = z.output<typeof CreateMailboxSchema>;

/**
 * PATCH /api/admin/mailboxes/{id} and the edit form: any subset. Leaving out `password` keeps
 * the stored one. A `move` action needs `moveTo` (sent, or already stored: checked by the service).
 */
export const UpdateMailboxSchema = z
  .strictObject({
    name: mailboxFields.name.optional(),
    host: mailboxFields.host.optional(),
    port: mailboxFields.port.optional(),
    secure: mailboxFields.secure.optional(),
    username: mailboxFields.username.optional(),
    password: mailboxFields.password.optional(),
    folder: mailboxFields.folder.optional(),
    processedAction: mailboxFields.processedAction.optional(),
    moveTo: mailboxFields.moveTo.optional(),
    active: mailboxFields.active.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" })
  .superRefine((v, ctx) => {
    if (v.processedAction === "move" && v.moveTo === null) ctx.addIssue({ code: "custom", path: ["moveTo"], message: "Enter the folder processed mail is moved to" });
  });
export type UpdateMailboxInput = z.output<typeof UpdateMailboxSchema>;
