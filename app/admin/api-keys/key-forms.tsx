"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useState } from "react";
import { Alert, FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import type { ApiScope } from "@/lib/auth/scopes";
import type { ApiKeyFormState, RevokeState } from "./actions";

type Owner = { id: string; email: string; name: string; role: "requester" | "agent" | "admin" };

/**
 * Create an API key: name, owner (default: you), scopes (only those the owner's role may hold
 * are offered), expiry in days. On success the secret is shown once with a copy button; it is
 * not kept anywhere the page can show it again.
 */
export function CreateApiKeyForm({
  action,
  owners,
  me,
  roleScopes,
}: {
  action: (prev: ApiKeyFormState, form: FormData) => Promise<ApiKeyFormState>;
  owners: Owner[];
  me: string | null;
  roleScopes: Record<Owner["role"], readonly ApiScope[]>;
}) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const [ownerId, setOwnerId] = useState(me ?? "");
  const [copied, setCopied] = useState(false);
  const ownerRole = owners.find((o) => o.id === ownerId)?.role ?? "admin";
  const errors = state.status === "error" ? state.fieldErrors : {};
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setCopied(false);
    startTransition(() => dispatch(data));
  };
  const secret = state.status === "success" ? state.data.secret : null;

  return (
    <div className="space-y-4">
      {secret ? (
        <Alert tone="success" title="Copy the key now" live>
          <p className="text-sm">This is the only time the key is shown. Store it in your integration&apos;s secret store; if it is lost, revoke it and create another.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="api-key-secret" className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900">
              {secret}
            </code>
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </Alert>
      ) : null}
      <form onSubmit={submit} className="space-y-3" aria-label="Create API key" noValidate>
        <FormMessages state={state} hasClientErrors={false} />
        <div>
          <Label htmlFor="ak-name">Name</Label>
          <input id="ak-name" name="name" className={controlClass} required maxLength={80} aria-invalid={errors.name ? true : undefined} aria-describedby={describedBy(errors.name && "ak-name-error")} />
          <FieldError id="ak-name-error" message={errors.name} />
        </div>
        <div>
          <Label htmlFor="ak-userId">Acts as</Label>
          <select id="ak-userId" name="userId" className={controlClass} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} aria-describedby={describedBy("ak-userId-hint", errors.userId && "ak-userId-error")}>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.email} ({o.role})
              </option>
            ))}
          </select>
          <Hint id="ak-userId-hint">The key acts as this user with their role; its scopes cannot go beyond that role.</Hint>
          <FieldError id="ak-userId-error" message={errors.userId} />
        </div>
        <fieldset aria-describedby={describedBy(errors.scopes && "ak-scopes-error")}>
          <legend className="text-sm font-medium text-slate-800">Scopes</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {roleScopes[ownerRole].map((s) => (
              <label key={`${ownerRole}-${s}`} className="flex items-center gap-1.5 text-sm text-slate-800">
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === "tickets:read"} />
                {s}
              </label>
            ))}
          </div>
          <FieldError id="ak-scopes-error" message={errors.scopes} />
        </fieldset>
        <div>
          <Label htmlFor="ak-expiresInDays">Expires after (days)</Label>
          <input id="ak-expiresInDays" name="expiresInDays" type="number" min={1} max={3650} className={controlClass} aria-describedby={describedBy("ak-exp-hint", errors.expiresInDays && "ak-exp-error")} />
          <Hint id="ak-exp-hint">Empty: the key does not expire.</Hint>
          <FieldError id="ak-exp-error" message={errors.expiresInDays ?? errors.expiresAt} />
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </form>
    </div>
  );
}

/** Revoke in two steps ("Revoke…", then "Yes, revoke"); refreshes the list after. */
export function RevokeButton({ name, action }: { name: string; action: (prev: RevokeState) => Promise<RevokeState> }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [state, dispatch, pending] = useActionState(async (prev: RevokeState) => {
    const next = await action(prev);
    if (next.status === "success") {
      setAsking(false);
      router.refresh();
    }
    return next;
  }, { status: "idle" } as RevokeState);
  return (
    <div className="space-y-1">
      <div role="alert" className="empty:absolute">
        {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
      </div>
      {asking ? (
        <form action={dispatch} className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-800">Revoke {name}? Integrations using it stop working.</span>
          <Button type="submit" variant="danger" size="sm" disabled={pending}>
            {pending ? "Revoking…" : "Yes, revoke"}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setAsking(true)} aria-label={`Revoke ${name}`}>
          Revoke…
        </Button>
      )}
    </div>
  );
}
