import { basicCredentials, obj, startFake, type FakeRequest, type FakeServer } from "./push-fake-base";

/** An issue the fake Jira holds. */
export interface FakeJiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  comments: string[];
}

export interface FakeJira extends FakeServer {
  issues: FakeJiraIssue[];
}

/**
 * FAKE Jira (REST v2) on loopback. Checks auth (Basic `email:token` or Bearer `token`) and the
 * create-issue shape (project.key, issuetype.name, summary, description, priority.name,
 * labels), answers like Jira (`201 {id, key, self}`; `400 {errorMessages, errors}`), supports
 * the JQL label search `labels = "<label>"` — on /rest/api/2/search/jql for Basic (Cloud)
 * callers and /rest/api/2/search for Bearer (Data Center) callers, 410 on the other — and
 * comments on issues.
 */
export async function startFakeJira(auth: { basic?: string; bearer?: string }): Promise<FakeJira> {
  const issues: FakeJiraIssue[] = [];
  const authorized = (r: FakeRequest) =>
    (auth.basic !== undefined && basicCredentials(r.headers) === auth.basic) ||
    (auth.bearer !== undefined && r.headers.authorization === `Bearer ${auth.bearer}`);
  let base = "";
  const server = await startFake((r) => {
    if (!authorized(r)) return { status: 401, json: { errorMessages: ["You are not authenticated"] } };
    if (r.method === "POST" && r.url.pathname === "/rest/api/2/issue") {
      const fields = obj(obj(r.json)?.fields);
      const errors: Record<string, string> = {};
      if (!fields) return { status: 400, json: { errorMessages: ["fields is required"], errors } };
      if (typeof obj(fields.project)?.key !== "string") errors.project = "project is required";
      if (typeof obj(fields.issuetype)?.name !== "string") errors.issuetype = "issue type is required";
      if (typeof fields.summary !== "string" || !fields.summary || fields.summary.length > 255) errors.summary = "summary must be 1-255 characters";
      if (typeof fields.description !== "string") errors.description = "description must be a string";
      if (typeof obj(fields.priority)?.name !== "string") errors.priority = "priority name is required";
      if (!Array.isArray(fields.labels) || fields.labels.some((l) => typeof l !== "string" || /\s/.test(l))) errors.labels = "labels must be strings without spaces";
      if (Object.keys(errors).length) return { status: 400, json: { errorMessages: [], errors } };
      const n = issues.length + 1;
      const key = `${String(obj(fields.project)!.key)}-${n}`;
      const issue = { id: String(10_000 + n), key, fields, comments: [] };
      issues.push(issue);
      return { status: 201, json: { id: issue.id, key, self: `${base}/rest/api/2/issue/${issue.id}` } };
    }
    // Jira Cloud's enhanced search (`/search/jql`, Basic email:token) and Data Center's `/search` (Bearer PAT).
    if (r.method === "GET" && (r.url.pathname === "/rest/api/2/search" || r.url.pathname === "/rest/api/2/search/jql")) {
      if ((r.url.pathname === "/rest/api/2/search") !== r.headers.authorization?.startsWith("Bearer ")) {
        return { status: 410, json: { errorMessages: ["The requested API has been removed. Please migrate to the /rest/api/2/search/jql API."] } };
      }
      const m = /^labels\s*=\s*"([^"]+)"$/.exec(r.url.searchParams.get("jql") ?? "");
      if (!m) return { status: 400, json: { errorMessages: ["The fake only understands labels = \"<label>\""] } };
      const hits = issues.filter((i) => (i.fields.labels as string[]).includes(m[1]));
      return { status: 200, json: { startAt: 0, maxResults: 50, total: hits.length, issues: hits.map((i) => ({ id: i.id, key: i.key, self: `${base}/rest/api/2/issue/${i.id}` })) } };
    }
    const c = /^\/rest\/api\/2\/issue\/([^/]+)\/comment$/.exec(r.url.pathname);
    if (r.method === "POST" && c) {
      const issue = issues.find((i) => i.key === decodeURIComponent(c[1]));
      if (!issue) return { status: 404, json: { errorMessages: ["Issue does not exist or you do not have permission to see it."] } };
      const body = obj(r.json)?.body;
      if (typeof body !== "string" || !body) return { status: 400, json: { errorMessages: [], errors: { comment: "Comment body can not be empty!" } } };
      issue.comments.push(body);
      return { status: 201, json: { id: String(issue.comments.length), body } };
    }
    return { status: 404, json: { errorMessages: [`fake Jira: no route ${r.method} ${r.url.pathname}`] } };
  });
  base = server.url;
  return Object.assign(server, { issues });
}
