"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessages } from "@/components/ui/alert";
import { controlClass, describedBy, FieldError, Hint, Label } from "@/components/ui/field";
import type { MailboxDTO } from "@/lib/mail/admin/mailboxes";
import type { MailboxField, MailboxFormState } from "./actions";

type Action = (prev: MailboxFormState, form: FormData) => Promise<MailboxFormState>;

/**
 * Create or edit an IMAP mailbox. The password field is write-only: on edit it starts empty and
 * an empty value keeps the stored password.
 */
export function MailboxForm({ action, mailbox, submitLabel }: { action: Action; mailbox?: MailboxDTO; submitLabel: string }) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const formRef = useRef<HTMLFormElement>(null);
  // Submitted through onSubmit (not <form action>) so a refused form keeps what was typed;
  // the create form empties itself after a success.
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  useEffect(() => {
    if (state.status === "success" && !mailbox) formRef.current?.reset();
  }, [state, mailbox]);
  const [processedAction, setProcessedAction] = useState(mailbox?.processedAction ?? "flag");
  const errors = state.status === "error" ? state.fieldErrors : {};
  const prefix = mailbox ? `mb-${mailbox.id.slice(0, 8)}` : "mb-new";
  const field = (name: MailboxField, label: string, input: React.ReactNode, hint?: string) => (
    <div>
      <Label htmlFor={`${prefix}-${name}`}>{label}</Label>
      {input}
      {hint ? <Hint id={`${prefix}-${name}-hint`}>{hint}</Hint> : null}
      <FieldError id={`${prefix}-${name}-error`} message={errors[name]} />
    </div>
  );
  const common = (name: MailboxField, hint?: boolean) => ({
    id: `${prefix}-${name}`,
    name,
    className: controlClass,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": describedBy(hint && `${prefix}-${name}-hint`, errors[name] && `${prefix}-${name}-error`),
  });

  return (
    <form ref={formRef} onSubmit={submit} className="space-y-3" aria-label={submitLabel} noValidate>
      {field("name", "Name", <input {...common("name")} defaultValue={mailbox?.name} required maxLength={80} />)}
      <div className="grid grid-cols-3 gap-3">
        <div className="col-span-2">{field("host", "IMAP host", <input {...common("host", true)} defaultValue={mailbox?.host} required placeholder="imap.example.com" />, "No scheme or port")}</div>
        {field("port", "Port", <input {...common("port")} type="number" min={1} max={65535} defaultValue={mailbox?.port ?? 993} required />)}
      </div>
      <div className="flex items-center gap-2">
        <input id={`${prefix}-secure`} name="secure" type="checkbox" defaultChecked={mailbox?.secure ?? true} className="h-4 w-4" />
        <Label htmlFor={`${prefix}-secure`}>Implicit TLS (port 993); off: plain or STARTTLS (143)</Label>
      </div>
      {field("username", "User name", <input {...common("username")} defaultValue={mailbox?.username} required autoComplete="off" />)}
      {field(
        "password",
        "Password",
        <input {...common("password", true)} type="password" autoComplete="new-password" required={!mailbox} />,
        mailbox ? "Set. Leave empty to keep it; it is stored encrypted and never shown." : "Stored encrypted, never shown again.",
      )}
      {field("folder", "Folder", <input {...common("folder")} defaultValue={mailbox?.folder ?? "INBOX"} />)}
      {field(
        "processedAction",
        "After processing",
        <select {...common("processedAction")} value={processedAction} onChange={(e) => setProcessedAction(e.target.value as "flag" | "move")}>
          <option value="flag">Mark as seen</option>
          <option value="move">Move to a folder</option>
        </select>,
      )}
      {processedAction === "move" ? field("moveTo", "Move to folder", <input {...common("moveTo")} defaultValue={mailbox?.moveTo ?? ""} placeholder="Processed" />) : null}
      <div className="flex items-center gap-2">
        <input id={`${prefix}-active`} name="active" type="checkbox" defaultChecked={mailbox?.active ?? true} className="h-4 w-4" />
        <Label htmlFor={`${prefix}-active`}>Active (polled)</Label>
      </div>
      <FormMessages state={state} hasClientErrors={false} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}

/** Delete button of the edit page. */
export function DeleteMailboxButton({ action, name }: { action: (prev: MailboxFormState) => Promise<MailboxFormState>; name: string }) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={dispatch} className="space-y-2">
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Delete mailbox ${name}`}>
        {pending ? "Deleting…" : "Delete mailbox"}
      </Button>
      <FormMessages state={state} hasClientErrors={false} />
    </form>
  );
}
