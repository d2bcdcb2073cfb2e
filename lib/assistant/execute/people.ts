import "server-only";
import type { DbOrTx } from "@/db/client";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/http/errors";
import { listAgents, type AgentOption } from "@/lib/users/list-agents";
import type { AssistantOpName } from "../ops";
import type { Candidate } from "../types";
import type { ExecuteResult } from "./result";

/** A person reference resolved to one agent, or several that fit (nothing may run). */
export type PersonMatch = { kind: "one"; agent: AgentOption } | { kind: "many"; agents: AgentOption[] };

/** `Maria Lopez <maria@corp.test>`. */
export const personLabel = (a: Pick<AgentOption, "name" | "email">) => `${a.name} <${a.email}>`;

/** Candidates for an ambiguous person: label plus a command (built by `command(email)`) that picks them. */
export function personCandidates(agents: AgentOption[], command: (email: string) => string): Candidate[] {
  return agents.map((a) => ({ label: personLabel(a), command: command(a.email) }));
}

/**
 * The answer when a person is ambiguous: `ok: false`, candidates to pick from, nothing changed.
 * @param command builds the command that picks one candidate, from that person's e-mail.
 */
export function ambiguousPerson(op: AssistantOpName, ref: string, agents: AgentOption[], command: (email: string) => string, ticketId?: number | null): ExecuteResult {
  return {
    op,
    ok: false,
    data: { kind: "candidates", field: "assignee", candidates: personCandidates(agents, command) },
    message: `'${ref}' matches ${agents.length} people: ${agents.map(personLabel).join(", ")}. Which one? Nothing was done.`,
    ...(ticketId !== undefined ? { ticketId } : {}),
  };
}

/**
 * Resolve a person as typed ("maria", "Maria Lopez", "maria@corp.test", a user id) among the
 * active agents and admins: an exact e-mail or user id wins; then an exact name
 * (case-insensitive); then first name, name prefix or e-mail local part. Several equally good
 * matches → `many` (the caller offers candidates).
 * @throws ApiError 422 when nobody matches, with `details.candidates` for staff callers (active
 *   agents, as `command(email)` commands, at most 20; requesters do not get the staff list).
 */
export async function resolvePerson(db: DbOrTx, ref: string, command: (email: string) => string, principal: Principal): Promise<PersonMatch> {
  const agents = await listAgents(db);
  const q = ref.trim().toLowerCase();
  const tiers: ((a: AgentOption) => boolean)[] = [
    (a) => a.email.toLowerCase() === q || a.id === ref.trim(),
    (a) => a.name.toLowerCase() === q,
    (a) => {
      const name = a.name.toLowerCase();
      return name.split(/\s+/)[0] === q || name.startsWith(q) || a.email.toLowerCase().split("@")[0] === q;
    },
  ];
  for (const fits of tiers) {
    const found = agents.filter(fits);
    if (found.length === 1) return { kind: "one", agent: found[0] };
    if (found.length > 1) return { kind: "many", agents: found };
  }
  throw new ApiError("unprocessable", `Nobody called '${ref.trim()}' works tickets here; name an active agent (name or e-mail)`, {
    field: "assignee",
    ...(isStaff(principal) ? { candidates: personCandidates(agents.slice(0, 20), command) } : {}),
  });
}

/**
 * The user id for "me": the caller's own user.
 * @throws ApiError 422 for an API key that is not tied to a person.
 */
export function myUserId(principal: Principal): string {
  if (!principal.userId) {
    throw new ApiError("unprocessable", "This API key does not belong to a person, so 'me' means nobody; name the agent instead", {
      field: "assignee",
    });
  }
  return principal.userId;
}
