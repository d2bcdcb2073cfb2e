"use server";

import { revalidatePath } from "next/cache";
import { formField, textArg } from "@/lib/forms/action-args";
import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues, type FormState } from "@/lib/forms/form-state";
import { getPerson, invitePerson, sendPasswordReset, updatePerson } from "@/lib/users/admin/people";
import { InvitePersonSchema, UpdatePersonSchema } from "@/lib/users/admin/schemas";

export type PersonField = "email" | "name" | "role" | "teamSlug" | "active";
export type PersonFormState = FormState<PersonField, { id: string }>;

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

function revalidate(id?: string): void {
  revalidatePath("/admin/people");
  if (id) revalidatePath(`/admin/people/${id}`);
}

/** Invite a person from /admin/people (admins): the set-password link is mailed. */
export async function invitePersonAction(_prev: PersonFormState, form: FormData): Promise<PersonFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = InvitePersonSchema.safeParse({ email: formField(form, "email"), name: formField(form, "name"), role: formField(form, "role") || "agent", teamSlug: formField(form, "teamSlug") || null });
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromIssues<PersonField>(parsed.error.issues) };
    const r = await invitePerson(await getDb(), parsed.data, principal);
    revalidate(r.person.id);
    return { status: "success", message: `Invitation mailed to ${r.invite.to}; the link works until ${new Date(r.invite.expiresAt).toUTCString()}.`, data: { id: r.person.id } };
  } catch (err) {
    return toErrorState<PersonField>(err, "invitePersonAction");
  }
}

/** Save role and team on /admin/people/{id} (admins). A role change signs the person out everywhere. */
export async function updatePersonAction(id: string, _prev: PersonFormState, form: FormData): Promise<PersonFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdatePersonSchema.safeParse({ role: formField(form, "role") || undefined, teamSlug: formField(form, "teamSlug") || null });
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromIssues<PersonField>(parsed.error.issues) };
    const p = await updatePerson(await getDb(), id, parsed.data, principal);
    revalidate(p.id);
    return { status: "success", message: `Saved: ${p.name} is ${p.role === "admin" ? "an admin" : `a ${p.role}`}${p.teamSlug ? ` in ${p.teamSlug}` : ""}.`, data: { id: p.id } };
  } catch (err) {
    return toErrorState<PersonField>(err, "updatePersonAction");
  }
}

/** Deactivate (form field `active` = "false") or reactivate ("true") a person (admins). */
export async function setActiveAction(id: string, _prev: PersonFormState, form: FormData): Promise<PersonFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const active = formField(form, "active");
    if (active !== "true" && active !== "false") return { status: "error", message: "Choose deactivate or reactivate.", fieldErrors: {} };
    const p = await updatePerson(await getDb(), id, { active: active === "true" }, principal);
    revalidate(p.id);
    return {
      status: "success",
      message: active === "true" ? `${p.name} is active again (API keys revoked earlier stay revoked).` : `${p.name} is deactivated: signed out everywhere, API keys revoked.`,
      data: { id: p.id },
    };
  } catch (err) {
    return toErrorState<PersonField>(err, "setActiveAction");
  }
}

/** Mail a person a password-reset link (admins); no password is shown. */
export async function sendResetAction(id: string, _prev: PersonFormState): Promise<PersonFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const r = await sendPasswordReset(await getDb(), id, principal);
    revalidate(id);
    return { status: "success", message: `Reset link mailed to ${r.to}; it works once, until ${new Date(r.expiresAt).toUTCString()}.`, data: { id } };
  } catch (err) {
    return toErrorState<PersonField>(err, "sendResetAction");
  }
}

/** Mail an invited person a new invite link (admins); the earlier link stops working. */
export async function resendInviteAction(id: string, _prev: PersonFormState): Promise<PersonFormState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const db = await getDb();
    const p = await getPerson(db, id, principal);
    const r = await invitePerson(db, { email: p.email, name: p.name, role: p.role, teamSlug: p.teamSlug }, principal);
    revalidate(p.id);
    return { status: "success", message: `New invitation mailed to ${r.invite.to}.`, data: { id: p.id } };
  } catch (err) {
    return toErrorState<PersonField>(err, "resendInviteAction");
  }
}
