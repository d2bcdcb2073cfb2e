import type { Priority, WaitingReason } from "@/db/schema/enums";
import { DURATION_UNITS, splitDuration, type DurationUnit } from "@/lib/sla/admin/schemas";

/*
 * The SLA policy form's values and their conversion to and from the API payload (plain module:
 * the edit page builds initial values on the server, the client form builds the payload).
 */

/** A policy as the form edits it: targets as value + unit, narrowing fields as "" when unset. */
export interface PolicyFormValues {
  name: string;
  priority: Priority;
  category: string;
  team: string;
  orgDomain: string;
  calendarId: string;
  firstResponse: { value: string; unit: DurationUnit };
  resolution: { value: string; unit: DurationUnit };
  nextResponse: { value: string; unit: DurationUnit };
  pauseOn: WaitingReason[];
  atRiskPct: string;
  raisePriority: boolean;
  reassignTo: "" | "lead" | "team";
  escalationTeam: string;
  active: boolean;
}

/** The stored policy (targets in seconds) as form values. */
export function policyFormValues(p: {
  name: string;
  priority: Priority;
  category: string | null;
  team: string | null;
  orgDomain: string | null;
  calendarId: string;
  firstResponseS: number;
  resolutionS: number;
  nextResponseS: number | null;
  pauseOn: WaitingReason[];
  atRiskPct: number;
  escalation: { raisePriority?: boolean; reassignTo?: "lead" | "team" | null; teamSlug?: string | null };
  active: boolean;
}): PolicyFormValues {
  const dur = (s: number | null) => (s === null ? { value: "", unit: "hours" as DurationUnit } : (({ value, unit }) => ({ value: String(value), unit }))(splitDuration(s)));
  return {
    name: p.name,
    priority: p.priority,
    category: p.category ?? "",
    team: p.team ?? "",
    orgDomain: p.orgDomain ?? "",
    calendarId: p.calendarId,
    firstResponse: dur(p.firstResponseS),
    resolution: dur(p.resolutionS),
    nextResponse: dur(p.nextResponseS),
    pauseOn: [...p.pauseOn],
    atRiskPct: String(p.atRiskPct),
    raisePriority: !!p.escalation.raisePriority,
    reassignTo: p.escalation.reassignTo ?? "",
    escalationTeam: p.escalation.teamSlug ?? "",
    active: p.active,
  };
}

/** The create form's starting values. */
export function emptyPolicyValues(calendarId: string): PolicyFormValues {
  return {
    name: "",
    priority: "P3",
    category: "",
    team: "",
    orgDomain: "",
    calendarId,
    firstResponse: { value: "4", unit: "hours" },
    resolution: { value: "3", unit: "bdays" },
    nextResponse: { value: "", unit: "hours" },
    pauseOn: ["requester", "third_party"],
    atRiskPct: "80",
    raisePriority: false,
    reassignTo: "",
    escalationTeam: "",
    active: true,
  };
}

/** Value + unit → seconds; NaN for a blank or non-numeric value (the schema reports it). */
function seconds(d: { value: string; unit: DurationUnit }): number {
  const n = Number(d.value.replace(",", "."));
  return d.value.trim() === "" || !Number.isFinite(n) ? Number.NaN : Math.round(n * DURATION_UNITS[d.unit]);
}

/** The API payload (CreatePolicySchema's shape) of the form values. */
export function policyPayload(v: PolicyFormValues): Record<string, unknown> {
  return {
    name: v.name,
    priority: v.priority,
    category: v.category || null,
    team: v.team || null,
    orgDomain: v.orgDomain.trim() || null,
    calendarId: v.calendarId,
    firstResponseS: seconds(v.firstResponse),
    resolutionS: seconds(v.resolution),
    nextResponseS: v.nextResponse.value.trim() === "" ? null : seconds(v.nextResponse),
    pauseOn: v.pauseOn,
    atRiskPct: Number(v.atRiskPct),
    escalation: { raisePriority: v.raisePriority, reassignTo: v.reassignTo || null, teamSlug: v.reassignTo === "team" ? v.escalationTeam || null : null },
    active: v.active,
  };
}

