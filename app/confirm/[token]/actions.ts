"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { formField } from "@/lib/forms/action-args";
import { ApiError } from "@/lib/http/errors";
import { confirmationPath, confirmRequester } from "@/lib/tickets/requester-confirmation";

/**
 * The confirm button on /confirm/[token]: use the link (once), then show the page again, which
 * now reads "confirmed" (or "expired"/"already used" when the link could not be used).
 */
export async function confirmRequesterAction(formData: FormData): Promise<void> {
  const token = formField(formData, "token");
  try {
    await confirmRequester(await getDb(), token);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
  redirect(/^[A-Za-z0-9_-]{1,100}$/.test(token) ? confirmationPath(token) : "/");
}
