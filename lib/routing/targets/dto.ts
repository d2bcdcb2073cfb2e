import type { Priority } from "@/db/schema/enums";
import type { externalTargets, PushAction, PushStatus } from "@/db/schema/routing";
import type { TargetKind, TargetMethod } from "./types";

/**
 * A push target (team mapping) as the API and the admin page show it. Secrets never appear:
 * header values and the secret are write-only (`headerNames`, `hasSecret` say what is stored);
 * a Slack incoming-webhook URL is itself a credential, so its path is masked (`urlMasked`).
 */
export interface TargetDTO {
  id: string;
  name: string;
  /** Team slug. */
  team: string;
  kind: TargetKind;
  /** The URL; for Slack only its origin followed by `/…`. */
  url: string;
  /** True when `url` is shown masked (Slack): leave it out of a PATCH to keep the stored one. */
  urlMasked: boolean;
  method: TargetMethod;
  /** Names of the stored custom headers (values are never returned). */
  headerNames: string[];
  /** True when a secret (token, API key or signing secret) is stored. */
  hasSecret: boolean;
  config: Record<string, unknown>;
  priorityThreshold: Priority;
  active: boolean;
  retryLimit: number;
  /** First retry delay, seconds. */
  retryDelayS: number;
  createdAt: string;
  updatedAt: string;
}

type Row = typeof externalTargets.$inferSelect;

/** `https://hooks.slack.com/…` for a Slack hook URL; the URL unchanged for other kinds. */
export function displayUrl(kind: TargetKind, url: string): { url: string; masked: boolean } {
  if (kind !== "slack") return { url, masked: false };
  try {
    return { url: `${new URL(url).origin}/…`, masked: true };
  } catch {
    return { url: "…", masked: true };
  }
}

/** The host of a URL for compact display (`acme.atlassian.net`), or the text itself when unparsable. */
export function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The public shape of a stored target: no header values, no secret, no ciphertext. */
export function toTargetDTO(r: Row): TargetDTO {
  const shown = displayUrl(r.kind, r.url);
  return {
    id: r.id,
    name: r.name,
    team: r.teamSlug,
    kind: r.kind,
    url: shown.url,
    urlMasked: shown.masked,
    method: r.method,
    headerNames: [...r.headerNames],
    // Slack keeps its hook URL sealed in the secret column (targets/service.ts); it has no other secret.
    hasSecret: r.kind !== "slack" && r.secretCiphertext !== null,
    config: r.config,
    priorityThreshold: r.priorityThreshold,
    active: r.active,
    retryLimit: r.retryLimit,
    retryDelayS: r.retryDelayS,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** A record an external system holds for a ticket, as the ticket JSON and page show it. */
export interface ExternalLinkDTO {
  /** The team mapping's name. */
  target: string;
  kind: TargetKind;
  /** Jira issue key, Freshservice ticket id; null when the target gives none (Slack). */
  externalId: string | null;
  /** Where the record is seen; null when the target gives none. */
  url: string | null;
}

/** The latest push to one target that has not (yet) succeeded: queued/retrying or dead-lettered. */
export interface PushStateDTO {
  pushId: number;
  target: string;
  kind: TargetKind;
  action: PushAction;
  status: Extract<PushStatus, "pending" | "dead">;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** ISO time of the last attempt; null before the first. */
  lastAttemptAt: string | null;
}
