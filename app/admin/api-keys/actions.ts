"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { createApiKeyAsAdmin, revokeApiKey } from "@/lib/auth/api-keys-admin";
import { CreateApiKeySchema } from "@/lib/auth/api-keys-schemas";
import { fieldErrorsFromIssues, type FormState } from "@/lib/forms/form-state";
import { toErrorState } from "@/lib/forms/action-errors";
import { asFormData, formField, textArg } from "@/lib/forms/action-args";

export type ApiKeyField = "name" | "userId" | "scopes" | "expiresAt" | "expiresInDays";
/** On success `data.secret` is the new key: the page shows it this once. */
export type ApiKeyFormState = FormState<ApiKeyField, { id: string; prefix: string; secret: string }>;
export type RevokeState = FormState<string, null>;

const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;

/** Create an API key (admins) from the form on /admin/api-keys; returns its secret once. */
export async function createApiKeyAction(_prev: ApiKeyFormState, input: FormData): Promise<ApiKeyFormState> {
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const form = asFormData(input);
    const str = (k: string) => formField(form, k).trim();
    const parsed = CreateApiKeySchema.safeParse({
      name: str("name"),
      userId: str("userId") || null,
      scopes: form.getAll("scopes").filter((v): v is string => typeof v === "string"),
      expiresInDays: str("expiresInDays") || null,
    });
    if (!parsed.success) return { status: "error", message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsFromIssues(parsed.error.issues) };
    const r = await createApiKeyAsAdmin(await getDb(), parsed.data, principal);
    revalidatePath("/admin/api-keys");
    return { status: "success", message: `API key ${r.key.name} created. Copy it now: it is not shown again.`, data: { id: r.key.id, prefix: r.key.prefix, secret: r.secret } };
  } catch (err) {
    return toErrorState<ApiKeyField>(err, "createApiKeyAction");
  }
}

/** Revoke an API key (admins) from /admin/api-keys. */
export async function revokeApiKeyAction(id: string, _prev: RevokeState): Promise<RevokeState> {
  id = textArg(id);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const k = await revokeApiKey(await getDb(), id, principal);
    revalidatePath("/admin/api-keys");
    return { status: "success", message: `API key ${k.name} revoked.`, data: null };
  } catch (err) {
    return toErrorState(err, "revokeApiKeyAction");
  }
}
