"use server";

import { getDb } from "@/db/client";
import type { ActionButtonState } from "@/components/mail/action-button";
import { currentPrincipal } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/principal";
import { toErrorState } from "@/lib/forms/action-errors";
import { resendMail } from "@/lib/mail/resend";
import { actorOf } from "@/lib/tickets/access";
import { intArg } from "@/lib/forms/action-args";

/** The outbox detail's Resend button (admins): queue a failed mail again (lib/mail/resend.ts). */
export async function resendMailAction(outboxId: number, _prev: ActionButtonState): Promise<ActionButtonState> {
  outboxId = intArg(outboxId);
  try {
    const principal = await currentPrincipal();
    if (!hasRole(principal, "admin")) return { status: "error", message: "Only admins can resend mail.", fieldErrors: {} };
    await resendMail(await getDb(), outboxId, actorOf(principal));
    return { status: "success", message: "Queued for delivery again.", data: null };
  } catch (err) {
    return toErrorState<never>(err, "resendMailAction");
  }
}
