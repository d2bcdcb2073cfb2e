import { getDb } from "@/db/client";
import { route } from "@/lib/http/route";
import { deleteMailbox, getMailbox, updateMailbox } from "@/lib/mail/admin/mailboxes";
import { UpdateMailboxSchema } from "@/lib/mail/schemas";

export const dynamic = "force-dynamic";

type Params = { id: string };

/** GET /api/admin/mailboxes/{id} — admins. → 200 MailboxDTO (no password). Errors: 401, 403, 404. */
export const GET = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => getMailbox(await getDb(), params.id, principal!));

/**
 * PATCH /api/admin/mailboxes/{id} — admins. Body UpdateMailboxSchema (any subset); leaving out
 * `password` keeps the stored one. → 200 MailboxDTO. Errors: 400 (validation; move without a
 * folder), 401, 403, 404, 409 (name taken).
 */
export const PATCH = route<Params, undefined, typeof UpdateMailboxSchema>({ auth: "admin", scope: "admin", body: UpdateMailboxSchema }, async ({ params, body, principal }) =>
  updateMailbox(await getDb(), params.id, body, principal!),
);

/** DELETE /api/admin/mailboxes/{id} — admins. → 204. Errors: 401, 403, 404. */
export const DELETE = route<Params>({ auth: "admin", scope: "admin" }, async ({ params, principal }) => {
  await deleteMailbox(await getDb(), params.id, principal!);
  return new Response(null, { status: 204 });
});
