import { JiraConfigSchema } from "@/lib/routing/targets/types";
import type { ResolvedTarget } from "@/lib/routing/targets/types";
import { customHeaders, field, joinUrl, jsonHeaders, recordTag, STATUS_LABELS, type PushContext, type PushProtocol } from "./types";

const DEFAULT_PRIORITIES = { P1: "Highest", P2: "High", P3: "Medium", P4: "Low" } as const;

/** Jira auth: `email:api-token` → Basic (Jira Cloud); anything else → Bearer (a Data Center personal access token). */
export function jiraAuth(target: ResolvedTarget): Record<string, string> {
  if (!target.secret) return {};
  return target.secret.includes(":")
    ? { authorization: `Basic ${Buffer.from(target.secret).toString("base64")}` }
    : { authorization: `Bearer ${target.secret}` };
}

/**
 * The JQL search endpoint: Jira Cloud (Basic `email:api-token`) removed `/rest/api/2/search`
 * in 2025 for the enhanced `/rest/api/2/search/jql`; Jira Data Center (Bearer personal access
 * token) has only `/rest/api/2/search`. Both answer `{issues: [{id, key, …}]}`.
 */
export function jiraSearchPath(target: ResolvedTarget): string {
  return target.secret?.includes(":") ? "/rest/api/2/search/jql" : "/rest/api/2/search";
}

/** The Jira REST v2 create-issue body for a ticket. */
export function jiraIssueFields(ctx: PushContext) {
  const cfg = JiraConfigSchema.parse(ctx.target.config);
  const t = ctx.ticket;
  return {
    fields: {
      project: { key: cfg.projectKey },
      issuetype: { name: cfg.issueType },
      summary: `[${t.key}] ${t.title}`.slice(0, 255),
      description: [
        t.description,
        "",
        "----",
        `Requester: ${t.requesterEmail}`,
        `Priority: ${t.priority} · Category: ${t.category}${t.team ? ` · Team: ${t.team}` : ""}`,
        `Switchboard ticket ${t.key}: ${t.url}`,
      ].join("\n"),
      priority: { name: cfg.priorities[t.priority] ?? DEFAULT_PRIORITIES[t.priority] },
      labels: ["switchboard", recordTag(t.key)],
    },
  };
}

/**
 * Jira REST v2: create `POST <url>/rest/api/2/issue` (answer `{id, key, self}`; the record is
 * the issue key, seen at `<url>/browse/<key>`); status changes and public replies become
 * comments `POST <url>/rest/api/2/issue/<key>/comment {body}`; lookup before a repeated create
 * is a JQL search ({@link jiraSearchPath}) on the label `switchboard-T-12` every created issue carries.
 */
export const jira: PushProtocol = {
  supports: () => true,
  build(ctx) {
    const headers = jsonHeaders(ctx.target, jiraAuth(ctx.target));
    const c = ctx.change;
    if (c.action === "create") {
      return { method: "POST", url: joinUrl(ctx.target.url, "/rest/api/2/issue"), headers, body: JSON.stringify(jiraIssueFields(ctx)) };
    }
    const key = ctx.link?.externalId;
    if (!key) return null;
    const body =
      c.action === "update"
        ? `Status changed to ${STATUS_LABELS[c.to]} in Switchboard (${ctx.ticket.key}).`
        : `Reply from ${c.author} in Switchboard (${ctx.ticket.key}):\n\n${c.body}`;
    return {
      method: "POST",
      url: joinUrl(ctx.target.url, `/rest/api/2/issue/${encodeURIComponent(key)}/comment`),
      headers,
      body: JSON.stringify({ body }),
    };
  },
  created(ctx, answer) {
    const key = field(answer, "key");
    if (typeof key !== "string" || !key) throw new Error("Jira answered 2xx without an issue key");
    return { externalId: key, externalUrl: joinUrl(ctx.target.url, `/browse/${key}`) };
  },
  lookup: {
    request(ctx) {
      const jql = `labels = "${recordTag(ctx.ticket.key)}"`;
      const qs = new URLSearchParams({ jql, fields: "key", maxResults: "2" });
      return {
        method: "GET",
        url: joinUrl(ctx.target.url, `${jiraSearchPath(ctx.target)}?${qs.toString()}`),
        headers: { ...customHeaders(ctx.target), accept: "application/json", ...jiraAuth(ctx.target) },
      };
    },
    parse(ctx, answer) {
      const issues = field(answer, "issues");
      if (!Array.isArray(issues) || issues.length === 0) return null;
      const key = field(issues[0], "key");
      return typeof key === "string" ? { externalId: key, externalUrl: joinUrl(ctx.target.url, `/browse/${key}`) } : null;
    },
  },
};
