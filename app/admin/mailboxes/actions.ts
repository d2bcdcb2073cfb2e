"use server";

import { revalidatePath } from "next/cache";
import { asFormData, formField, textArg } from "@/lib/forms/action-args";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { fieldErrorsFromIssues, type FormState } from "@/lib/forms/form-state";
import { toErrorState } from "@/lib/forms/action-errors";
import { createMailbox, deleteMailbox, updateMailbox } from "@/lib/mail/admin/mailboxes";
import { CreateMailboxSchema, UpdateMailboxSchema } from "@/lib/mail/schemas";

export type MailboxField = "name" | "host" | "port" | "secure" | "username" | "password" | "folder" | "processedAction" | "moveTo" | "active";
export type MailboxFormState = FormState<MailboxField, { id: string }>;

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

/** The form's fields as the schemas' payload. An empty password means "keep" (edit) and is left out. */
function payloadOf(input: FormData): Record<string, unknown> {
  // A hand-crafted action call may pass anything: a non-FormData reads as an empty form.
  const form = asFormData(input);
  const str = (k: string) => formField(form, k);
  const action = str("processedAction") || "flag";
  return {
    name: str("name"),
    host: str("host"),
    port: str("port"),
    secure: form.get("secure") === "on",
    username: str("username"),
    ...(str("password") ? { password: str("password") } : {}),
    folder: str("folder") || "INBOX",
    processedAction: action,
    moveTo: action === "move" ? str("moveTo") || null : null,
    active: form.get("active") === "on",
  };
}

/** Create a mailbox (admins) from the form on /admin/mailboxes. */
export async function createMailboxAction(_prev: MailboxFormState, form: FormData): Promise<MailboxFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = CreateMailboxSchema.safeParse(payloadOf(form));
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromIssues(parsed.error.issues) };
    const m = await createMailbox(await getDb(), parsed.data, principal);
    revalidatePath("/admin/mailboxes");
    return { status: "success", message: `Mailbox ${m.name} added. It is polled from the next round.`, data: { id: m.id } };
  } catch (err) {
    return toErrorState<MailboxField>(err, "createMailboxAction");
  }
}

/** Save the edit form of /admin/mailboxes/{id} (admins); an empty password keeps the stored one. */
export async function updateMailboxAction(id: string, _prev: MailboxFormState, form: FormData): Promise<MailboxFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateMailboxSchema.safeParse(payloadOf(form));
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromIssues(parsed.error.issues) };
    const m = await updateMailbox(await getDb(), id, parsed.data, principal);
    revalidatePath("/admin/mailboxes");
    revalidatePath(`/admin/mailboxes/${id}`);
    return { status: "success", message: `Saved: ${m.name}${m.active ? "" : " (inactive)"}.`, data: { id: m.id } };
  } catch (err) {
    return toErrorState<MailboxField>(err, "updateMailboxAction");
  }
}

/** Delete a mailbox (admins), then back to the list. */
export async function deleteMailboxAction(id: string, _prev: MailboxFormState): Promise<MailboxFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    await deleteMailbox(await getDb(), id, principal);
    revalidatePath("/admin/mailboxes");
  } catch (err) {
    return toErrorState<MailboxField>(err, "deleteMailboxAction");
  }
  redirect("/admin/mailboxes");
}
