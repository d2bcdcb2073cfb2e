import type { Priority, Status } from "@/db/schema/enums";
import type { PushAction } from "@/db/schema/routing";
import type { ResolvedTarget } from "@/lib/routing/targets/types";

/*
 * Shapes shared by the pure request builders (jira.ts, freshservice.ts, slack.ts, webhook.ts)
 * and the delivery (deliver.ts). Builders never touch the database or the network.
 */

/** The ticket as a push sends it. */
export interface PushTicket {
  key: string;
  title: string;
  description: string;
  requesterEmail: string;
  priority: Priority;
  status: Status;
  /** Category and team names as people read them (slug when the name is unknown). */
  category: string;
  team: string | null;
  source: string;
  /** ISO time the ticket was created. */
  createdAt: string;
  /** Link back to the ticket page (`${NEXTAUTH_URL}/tickets/T-12`). */
  url: string;
}

/** What changed, for update and comment pushes. */
export type PushChange =
  | { action: "create" }
  | { action: "update"; from: Status; to: Status }
  | { action: "comment"; commentId: number; author: string; body: string };

/** The record a target holds for the ticket (from ticket_external_links). */
export interface PushLink {
  externalId: string | null;
  externalUrl: string | null;
}

/** Everything a builder needs for one push. */
export interface PushContext {
  ticket: PushTicket;
  target: ResolvedTarget;
  change: PushChange;
  /** The record at the target (update and comment pushes only). */
  link: PushLink | null;
  /** Stable per push, the same on every attempt: `Idempotency-Key` and delivery id. */
  deliveryId: string;
  /** Unix time in s of this attempt (webhook signature timestamp). */
  nowS: number;
}

/** One HTTP request to send. `body` is the exact bytes (signatures are over it). */
export interface OutboundRequest {
  method: "GET" | "POST" | "PUT" | "PATCH";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A target kind's protocol: pure functions from (ticket, target) to requests and back. */
export interface PushProtocol {
  /** Whether the kind does this action at all (else the push is `skipped`). */
  supports: (action: PushAction) => boolean;
  /** The request for a push; null when there is nothing to send (the push is `skipped`). */
  build: (ctx: PushContext) => OutboundRequest | null;
  /** The record a successful create made, from the answer's status and parsed JSON (or text). */
  created: (ctx: PushContext, answer: unknown) => PushLink;
  /**
   * Before a create is tried again (attempts > 0): a request that finds the record an earlier
   * attempt may have made, and its parser (null = not found). Absent when the target offers no lookup.
   */
  lookup?: {
    request: (ctx: PushContext) => OutboundRequest;
    parse: (ctx: PushContext, answer: unknown) => PushLink | null;
  };
}

/** The label/tag every record we create carries: `switchboard-T-12`. */
export function recordTag(ticketKey: string): string {
  return `switchboard-${ticketKey}`;
}

/** `https://x.test/` + `/rest/api/2/issue` without a doubled slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/** Human status names, as the desk shows them (one table for the desk and the pushes). */
export { STATUS_LABEL as STATUS_LABELS } from "@/components/tickets/labels";

/**
 * The target's custom headers with lower-cased names, so ours (set after them, also lower
 * case) replace a custom one of the same name instead of being sent beside it.
 */
export function customHeaders(target: ResolvedTarget): Record<string, string> {
  return Object.fromEntries(Object.entries(target.headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** JSON request headers: the target's custom headers, then content type and `extra` (auth, signature) over them. */
export function jsonHeaders(target: ResolvedTarget, extra: Record<string, string> = {}): Record<string, string> {
  return { ...customHeaders(target), "content-type": "application/json", accept: "application/json", ...extra };
}

/** A field of a parsed JSON answer, or undefined. */
export function field(v: unknown, key: string): unknown {
  return v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
}
