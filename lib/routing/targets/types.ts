import { z } from "zod";
import { PRIORITIES, type Priority } from "@/db/schema/enums";
import { TARGET_KINDS, TARGET_METHODS, type TargetKind, type TargetMethod } from "@/db/schema/routing";

/*
 * The shapes of push targets (team mappings, seed 001), shared by the admin API/UI
 * (lib/routing/targets) and the push engine (lib/routing/push). `config` is per kind.
 */

const priorityMap = z
  .object({ P1: z.string().min(1).max(40), P2: z.string().min(1).max(40), P3: z.string().min(1).max(40), P4: z.string().min(1).max(40) })
  .partial();

/**
 * Jira REST v2 create-issue field mapping: the project key, the issue type name, and Jira
 * priority names per Switchboard priority (default Highest/High/Medium/Low). `url` is the
 * site's base (`https://acme.atlassian.net`); the engine calls `<url>/rest/api/2/issue`.
 */
export const JiraConfigSchema = z.object({
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, "a Jira project key such as OPS"),
  issueType: z.string().min(1).max(60).default("Task"),
  priorities: priorityMap.default({}),
});

/**
 * Freshservice v2 ticket create (`<url>/api/v2/tickets`): optional group id, the Freshservice
 * priority number per Switchboard priority (default P1→4 urgent … P4→1 low), and the source
 * number (default 2 = portal).
 */
export const FreshserviceConfigSchema = z.object({
  groupId: z.number().int().positive().optional(),
  priorities: z
    .object({ P1: z.number().int().min(1).max(4), P2: z.number().int().min(1).max(4), P3: z.number().int().min(1).max(4), P4: z.number().int().min(1).max(4) })
    .partial()
    .default({}),
  source: z.number().int().min(1).max(20).default(2),
});

/** Slack incoming webhook (`url` is the hook URL): optional channel override and a mention (e.g. `<!here>`) for P1. */
export const SlackConfigSchema = z.object({
  channel: z.string().max(80).optional(),
  mentionOnP1: z.string().max(40).optional(),
});

/** Generic webhook: nothing beyond url, method, headers and the signing secret. */
export const WebhookConfigSchema = z.object({});

export const TARGET_CONFIG_SCHEMAS = {
  jira: JiraConfigSchema,
  freshservice: FreshserviceConfigSchema,
  slack: SlackConfigSchema,
  webhook: WebhookConfigSchema,
} as const;

export type JiraConfig = z.output<typeof JiraConfigSchema>;
export type FreshserviceConfig = z.output<typeof FreshserviceConfigSchema>;
export type SlackConfig = z.output<typeof SlackConfigSchema>;

/**
 * A target as the push engine uses it: secrets decrypted (never leave the server).
 * - `secret`: jira: `email:api-token` (Basic) or a personal access token (Bearer);
 *   freshservice: the API key (Basic `key:X`); webhook: the HMAC-SHA256 signing secret;
 *   slack: unused (the hook URL is the credential).
 */
export interface ResolvedTarget {
  id: string;
  name: string;
  teamSlug: string;
  kind: TargetKind;
  url: string;
  method: TargetMethod;
  headers: Record<string, string>;
  secret: string | null;
  config: Record<string, unknown>;
  priorityThreshold: Priority;
  active: boolean;
  retryLimit: number;
  retryDelayS: number;
}

/** True when a ticket of `priority` is at or above `threshold` (P1 is the highest). */
export function meetsThreshold(priority: Priority, threshold: Priority): boolean {
  return PRIORITIES.indexOf(priority) <= PRIORITIES.indexOf(threshold);
}

export { TARGET_KINDS, TARGET_METHODS };
export type { TargetKind, TargetMethod };
