import { pgEnum } from "drizzle-orm/pg-core";

/** ITIL-style priority: P1 critical, P2 high, P3 medium, P4 low. */
export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
export const priorityEnum = pgEnum("ticket_priority", PRIORITIES);

/** Ticket lifecycle states; legal transitions live in lib/tickets/status.ts. */
export const STATUSES = ["new", "open", "in_progress", "waiting", "resolved", "closed"] as const;
export const statusEnum = pgEnum("ticket_status", STATUSES);

/** Channel a ticket arrived through. */
export const SOURCES = ["web", "api", "email", "odata", "assistant"] as const;
export const sourceEnum = pgEnum("ticket_source", SOURCES);

/**
 * Why a ticket is `waiting` (ITIL 4 "pending" states): on the requester, or on a third party
 * (a vendor, another team). The SLA clock pauses on the reasons a policy names.
 */
export const WAITING_REASONS = ["requester", "third_party"] as const;
export const waitingReasonEnum = pgEnum("waiting_reason", WAITING_REASONS);

export const ROLES = ["requester", "agent", "admin"] as const;
export const roleEnum = pgEnum("user_role", ROLES);

/** How a triage decision was produced (issue: triage modes). */
export const TRIAGE_MODES = ["local", "llm", "hybrid"] as const;
export const triageModeEnum = pgEnum("triage_mode", TRIAGE_MODES);

/** Who overrode the suggestion, if anyone. */
export const OVERRIDE_BY = ["requester", "agent"] as const;
export const overrideByEnum = pgEnum("triage_override_by", OVERRIDE_BY);

export const ACTOR_TYPES = ["user", "api_key", "system"] as const;
export const actorTypeEnum = pgEnum("actor_type", ACTOR_TYPES);

export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export type Source = (typeof SOURCES)[number];
export type WaitingReason = (typeof WAITING_REASONS)[number];
export type Role = (typeof ROLES)[number];
export type TriageMode = (typeof TRIAGE_MODES)[number];
export type ActorType = (typeof ACTOR_TYPES)[number];
