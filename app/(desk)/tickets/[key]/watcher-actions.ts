"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues, type FormState } from "@/lib/forms/form-state";
import { addWatcher, removeWatcher, WatcherBodySchema } from "@/lib/tickets/watchers";
import { textArg } from "@/lib/forms/action-args";

export type WatcherState = FormState<"email", { email: string; op: "add" | "remove" }>;

/**
 * Add (`op: "add"`) or remove (`op: "remove"`) a watcher (CC) of a ticket from the agent view.
 * Returns a form state (never throws): field error for a bad address, the service's message
 * for a refused change (e.g. the requester's own address).
 */
export async function watcherAction(key: string, _prev: WatcherState, raw: unknown): Promise<WatcherState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} };
    const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const op = src.op === "remove" ? "remove" : "add";
    const parsed = WatcherBodySchema.safeParse({ email: src.email });
    if (!parsed.success) return { status: "error", message: "Enter a valid e-mail address", fieldErrors: fieldErrorsFromIssues<"email">(parsed.error.issues) };
    const db = await getDb();
    const email = parsed.data.email;
    let message: string;
    if (op === "add") {
      const r = await addWatcher(db, key, email, principal);
      message = r.added ? `${email} gets the public messages of ${key} now.` : `${email} already watches ${key}.`;
    } else {
      await removeWatcher(db, key, email, principal);
      message = `${email} no longer watches ${key}.`;
    }
    revalidatePath(`/tickets/${key}`);
    return { status: "success", message, data: { email, op } };
  } catch (err) {
    return toErrorState<"email">(err, "watcherAction");
  }
}
