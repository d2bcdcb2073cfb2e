"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import type { ActionButtonState } from "@/components/mail/action-button";
import { INBOUND_STATUS_LABEL } from "@/components/mail/parts";
import { hasRole } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { replayInbound } from "@/lib/mail/inbound/replay";
import { intArg } from "@/lib/forms/action-args";

/** The inbound detail's Replay button (admins): process a failed or received message again. */
export async function replayInboundAction(inboundId: number, _prev: ActionButtonState): Promise<ActionButtonState> {
  inboundId = intArg(inboundId);
  try {
    const principal = await currentPrincipal();
    if (!hasRole(principal, "admin")) return { status: "error", message: "Only admins can replay inbound mail.", fieldErrors: {} };
    const r = await replayInbound(await getDb(), inboundId);
    revalidatePath(`/admin/inbound/${inboundId}`);
    revalidatePath("/admin/inbound");
    const outcome = `${INBOUND_STATUS_LABEL[r.status] ?? r.status}${r.ticketKey ? ` (${r.ticketKey})` : ""}${r.reason ? `: ${r.reason}` : ""}${r.error ? `: ${r.error.message}` : ""}`;
    return { status: "success", message: `Replayed. Result: ${outcome}.`, data: null };
  } catch (err) {
    return toErrorState<never>(err, "replayInboundAction");
  }
}
