import { getDb } from "@/db/client";
import { json, route } from "@/lib/http/route";
import { createMailbox, envMailbox, listMailboxes } from "@/lib/mail/admin/mailboxes";
import { CreateMailboxSchema } from "@/lib/mail/schemas";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/mailboxes — admins. → 200 {env: {source: "IMAP_URL", host, port, secure,
 * username, hasPassword, folder, processedAction, moveTo, display} | null, items: MailboxDTO[]}
 * (by name). Passwords are never returned (`hasPassword`). Errors: 401, 403.
 */
export const GET = route({ auth: "admin", scope: "admin" }, async ({ principal }) => ({
  env: envMailbox(),
  items: await listMailboxes(await getDb(), principal!),
}));

/**
 * POST /api/admin/mailboxes — admins. Body CreateMailboxSchema {name, host, port?, secure?,
 * username, password, folder?, processedAction?, moveTo?, active?} → 201 MailboxDTO (password
 * stored encrypted, never returned). Errors: 400 (validation; move without moveTo), 401, 403,
 * 409 (name taken).
 */
export const POST = route({ auth: "admin", scope: "admin", body: CreateMailboxSchema }, async ({ body, principal }) => json(await createMailbox(await getDb(), body, principal!), 201));
