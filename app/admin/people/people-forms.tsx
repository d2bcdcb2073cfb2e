"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import { FormMessages } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { controlClass, describedBy, FieldError, Label } from "@/components/ui/field";
import type { PersonDTO } from "@/lib/users/admin/schemas";
import { invitePersonAction, resendInviteAction, sendResetAction, setActiveAction, updatePersonAction, type PersonField, type PersonFormState } from "./actions";

type Team = { slug: string; name: string };
const ROLES = ["requester", "agent", "admin"] as const;

function useFormAction(action: (prev: PersonFormState, form: FormData) => Promise<PersonFormState>) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, pending, submit, errors: state.status === "error" ? state.fieldErrors : ({} as Partial<Record<PersonField, string>>) };
}

function RoleAndTeamFields({ prefix, teams, errors, role, teamSlug }: { prefix: string; teams: Team[]; errors: Partial<Record<PersonField, string>>; role?: string; teamSlug?: string | null }) {
  return (
    <>
      <div>
        <Label htmlFor={`${prefix}-role`}>Role</Label>
        <select id={`${prefix}-role`} name="role" defaultValue={role ?? "agent"} className={controlClass}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <FieldError id={`${prefix}-role-error`} message={errors.role} />
      </div>
      <div>
        <Label htmlFor={`${prefix}-team`}>Team</Label>
        <select id={`${prefix}-team`} name="teamSlug" defaultValue={teamSlug ?? ""} className={controlClass} aria-describedby={describedBy(errors.teamSlug && `${prefix}-team-error`)}>
          <option value="">No team</option>
          {teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
        <FieldError id={`${prefix}-team-error`} message={errors.teamSlug} />
      </div>
    </>
  );
}

/** The invite form of /admin/people: e-mail, name, role and team; the link is mailed. */
export function InviteForm({ teams }: { teams: Team[] }) {
  const { state, pending, submit, errors } = useFormAction(invitePersonAction);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") ref.current?.reset();
  }, [state]);
  return (
    <form ref={ref} onSubmit={submit} className="grid gap-3 sm:grid-cols-2" aria-label="Invite a person" noValidate>
      <div>
        <Label htmlFor="invite-email">E-mail</Label>
        <input id="invite-email" name="email" type="email" required maxLength={254} className={controlClass} aria-invalid={errors.email ? true : undefined} aria-describedby={describedBy(errors.email && "invite-email-error")} />
        <FieldError id="invite-email-error" message={errors.email} />
      </div>
      <div>
        <Label htmlFor="invite-name">Name</Label>
        <input id="invite-name" name="name" required maxLength={120} className={controlClass} aria-invalid={errors.name ? true : undefined} aria-describedby={describedBy(errors.name && "invite-name-error")} />
        <FieldError id="invite-name-error" message={errors.name} />
      </div>
      <RoleAndTeamFields prefix="invite" teams={teams} errors={errors} />
      <div className="sm:col-span-2 space-y-2">
        <FormMessages state={state} hasClientErrors={false} />
        <Button type="submit" disabled={pending}>
          {pending ? "Sending…" : "Send invitation"}
        </Button>
      </div>
    </form>
  );
}

/** The controls of /admin/people/{id}: role and team, deactivate / reactivate, password reset or a new invite. */
export function PersonControls({ person, teams }: { person: PersonDTO; teams: Team[] }) {
  const edit = useFormAction(updatePersonAction.bind(null, person.id));
  const active = useFormAction(setActiveAction.bind(null, person.id));
  const reset = useFormAction(sendResetAction.bind(null, person.id));
  const invite = useFormAction(resendInviteAction.bind(null, person.id));
  const deactivating = person.status !== "deactivated";
  return (
    <div className="space-y-6">
      <form onSubmit={edit.submit} className="grid gap-3 sm:grid-cols-2" aria-label="Role and team" noValidate>
        <RoleAndTeamFields prefix="person" teams={teams} errors={edit.errors} role={person.role} teamSlug={person.teamSlug} />
        <div className="sm:col-span-2 space-y-2">
          <FormMessages state={edit.state} hasClientErrors={false} />
          <Button type="submit" disabled={edit.pending}>
            Save role and team
          </Button>
        </div>
      </form>
      <div className="flex flex-wrap gap-3">
        {person.status === "invited" ? (
          <form onSubmit={invite.submit} aria-label="Send a new invitation">
            <Button type="submit" variant="secondary" disabled={invite.pending}>
              Send a new invitation
            </Button>
          </form>
        ) : person.status === "active" ? (
          <form onSubmit={reset.submit} aria-label="Mail a password reset link">
            <Button type="submit" variant="secondary" disabled={reset.pending}>
              Mail a password reset link
            </Button>
          </form>
        ) : null}
        <form onSubmit={active.submit} aria-label={deactivating ? "Deactivate" : "Reactivate"}>
          <input type="hidden" name="active" value={deactivating ? "false" : "true"} />
          <Button type="submit" variant={deactivating ? "danger" : "secondary"} disabled={active.pending}>
            {deactivating ? "Deactivate" : "Reactivate"}
          </Button>
        </form>
      </div>
      <FormMessages state={invite.state.status !== "idle" ? invite.state : reset.state.status !== "idle" ? reset.state : active.state} hasClientErrors={false} />
    </div>
  );
}
