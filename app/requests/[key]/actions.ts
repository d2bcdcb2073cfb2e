"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues, type FormState } from "@/lib/forms/form-state";
import { currentPrincipal } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { addComment } from "@/lib/tickets/add-comment";
import { CreateCommentSchema } from "@/lib/tickets/schemas";
import { textArg } from "@/lib/forms/action-args";

type ReplyField = "body" | "internal" | "attachmentIds";
export type RequesterCommentState = FormState<ReplyField, { id: number | null; internal: boolean; status: string; followUp?: string | null }>;

/** A requester's public reply on their own ticket (addComment checks ownership), with `attachmentIds` (their checked uploads). */
export async function addRequesterReplyAction(key: string, _prev: RequesterCommentState, raw: unknown): Promise<RequesterCommentState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return { status: "error", message: "Your session has ended. Sign in again to reply.", fieldErrors: {} };
    const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const parsed = CreateCommentSchema.safeParse({
      body: src.body,
      internal: false,
      ...(src.attachmentIds !== undefined ? { attachmentIds: src.attachmentIds } : {}),
    });
    if (!parsed.success) {
      return { status: "error", message: parsed.error.issues[0]?.message ?? "Invalid reply", fieldErrors: fieldErrorsFromIssues<ReplyField>(parsed.error.issues) };
    }
    const { comment, ticket, followUp } = await addComment(await getDb(), key, parsed.data, principal);
    revalidatePath(`/requests/${key}`);
    revalidatePath("/requests");
    if (followUp) {
      return {
        status: "success",
        message:
          ticket.status === "closed"
            ? `${key} is closed, so your reply was filed as a new request, ${followUp.key}.`
            : `${key} was resolved more than ${env().REOPEN_WINDOW_DAYS} days ago, so your reply was filed as a new request, ${followUp.key}.`,
        data: { id: null, internal: false, status: ticket.status, followUp: followUp.key },
      };
    }
    const reopened = ticket.status === "open" ? " The request is open again." : "";
    return { status: "success", message: `Reply sent.${reopened}`, data: { id: comment?.id ?? null, internal: false, status: ticket.status, followUp: null } };
  } catch (err) {
    return toErrorState<ReplyField>(err, "addRequesterReplyAction");
  }
}
