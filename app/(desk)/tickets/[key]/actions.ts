"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues, type FormState } from "@/lib/forms/form-state";
import { currentPrincipal } from "@/lib/auth/session";
import { addComment } from "@/lib/tickets/add-comment";
import { CreateCommentSchema, UpdateTicketSchema } from "@/lib/tickets/schemas";
import { updateTicket } from "@/lib/tickets/update-ticket";
import { MacroActionsSchema } from "@/lib/macros/schemas";
import type { Status } from "@/db/schema/enums";
import type { ComposerField, ComposerState } from "@/components/tickets/composer";
import { STATUS_LABEL } from "@/components/tickets/labels";
import { textArg } from "@/lib/forms/action-args";

export type UpdateField = "status" | "waitingReason" | "priority" | "category" | "team" | "assignee" | "resolution" | "needsReview";
export type UpdateTicketState = FormState<UpdateField, { key: string; status: string }>;

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;
const PATCH_FIELDS: readonly UpdateField[] = ["status", "waitingReason", "priority", "category", "team", "assignee", "resolution", "needsReview"];

/** Only the patchable fields; "" means "clear" for team, assignee and resolution. */
function pickPatch(raw: unknown): Record<string, unknown> {
  const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const f of PATCH_FIELDS) {
    if (!(f in src)) continue;
    const v = src[f];
    out[f] = v === "" && (f === "team" || f === "assignee" || f === "resolution") ? null : v;
  }
  return out;
}

/** Change a ticket's fields (agents). Illegal transitions come back as the service's 409 message. */
export async function updateTicketAction(key: string, _prev: UpdateTicketState, raw: unknown): Promise<UpdateTicketState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = UpdateTicketSchema.safeParse(pickPatch(raw));
    if (!parsed.success) {
      return { status: "error", message: parsed.error.issues[0]?.message ?? "Invalid change", fieldErrors: fieldErrorsFromIssues<UpdateField>(parsed.error.issues) };
    }
    const ticket = await updateTicket(await getDb(), key, parsed.data, principal);
    revalidatePath(`/tickets/${key}`);
    return { status: "success", message: `${key} updated.`, data: { key, status: ticket.status } };
  } catch (err) {
    return toErrorState<UpdateField>(err, "updateTicketAction");
  }
}

/** Confirm the suggested triage: take the ticket off the review queue. */
export async function confirmTriageAction(key: string, prev: UpdateTicketState): Promise<UpdateTicketState> {
  key = textArg(key);
  const result = await updateTicketAction(key, prev, { needsReview: false });
  return result.status === "success" ? { ...result, message: "Triage confirmed." } : result;
}

/**
 * Post a public reply or an internal note from the agent's composer, with `attachmentIds` (checked
 * uploads of the agent) linked to it, and optionally `status` ("Send and set to …") and a macro's
 * staged `changes`: all in one transaction (lib/tickets/add-comment.ts); a refused change stores nothing.
 */
export async function addAgentCommentAction(key: string, _prev: ComposerState, raw: unknown): Promise<ComposerState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const parsed = CreateCommentSchema.safeParse({
      body: src.body,
      internal: src.internal === true,
      ...(src.attachmentIds !== undefined ? { attachmentIds: src.attachmentIds } : {}),
      ...(src.status !== undefined ? { status: src.status } : {}),
    });
    if (!parsed.success) {
      return { status: "error", message: parsed.error.issues[0]?.message ?? "Invalid comment", fieldErrors: fieldErrorsFromIssues<ComposerField>(parsed.error.issues) };
    }
    const changes = src.changes === undefined ? undefined : MacroActionsSchema.safeParse(src.changes);
    if (changes && !changes.success) {
      return { status: "error", message: `The macro's field changes are invalid: ${changes.error.issues[0]?.message ?? "check the macro"}`, fieldErrors: {} };
    }
    const { comment, ticket } = await addComment(await getDb(), key, parsed.data, principal, { changes: changes?.data });
    revalidatePath(`/tickets/${key}`);
    if (!comment) return { status: "error", message: `${key} is closed`, fieldErrors: {} };
    const what = comment.internal ? "Internal note added" : "Reply sent to the requester";
    const moved = parsed.data.status || changes?.data.status ? ` ${key} is now ${STATUS_LABEL[ticket.status as Status] ?? ticket.status}.` : "";
    return { status: "success", message: `${what}.${moved}`, data: { id: comment.id, internal: comment.internal, status: ticket.status } };
  } catch (err) {
    return toErrorState<ComposerField>(err, "addAgentCommentAction");
  }
}

/** "Assign to me": the signed-in agent becomes the assignee (through updateTicket, audited). */
export async function assignToMeAction(key: string, _prev: UpdateTicketState): Promise<UpdateTicketState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    if (!principal.userId) return { status: "error", message: "Only a signed-in agent can take a ticket.", fieldErrors: {} };
    const ticket = await updateTicket(await getDb(), key, { assignee: principal.userId }, principal);
    revalidatePath(`/tickets/${key}`);
    return { status: "success", message: `${key} is assigned to you.`, data: { key, status: ticket.status } };
  } catch (err) {
    return toErrorState<UpdateField>(err, "assignToMeAction");
  }
}
