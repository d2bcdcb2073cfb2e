import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiSignIn, signIn, uniqueWord, USERS } from "./helpers";

/*
 * Hostile input, rendering side (issue 15 §3): SQL and HTML/JS injection strings in a ticket's
 * title, description and comments are stored verbatim (the API reads back exactly what was
 * sent) and shown as literal text wherever they appear — the agent ticket page, the ticket list
 * (plain and with search highlighting), the dashboard and the requester portal. No injected
 * element exists, no script ran (`window.__pwned` stays undefined) and no dialog opened.
 */

/** Strings that would do something if rendered as HTML, run as SQL or evaluated as a template. */
const SQL = ["'; DROP TABLE tickets; --", "1' OR '1'='1", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)--"];
const HTML = [
  "<script>window.__pwned=1</script>",
  "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
  "<svg onload=\"window.__pwned=1\"></svg>",
  "<a href=\"javascript:window.__pwned=1\">click me</a>",
  "[click me](javascript:window.__pwned=1)",
  "![x](x\" onerror=\"window.__pwned=1)",
  "{{constructor.constructor('window.__pwned=1')()}}",
  "${window.__pwned=1}",
  "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
  "</textarea><style>body{display:none}</style>",
];

/** Elements or attributes any of the strings above would create if they were parsed as HTML. */
async function injectedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const sel = ['img[src="x"]', "[onerror]", "[onload]", 'a[href^="javascript:"]', "iframe[srcdoc]", "svg[onload]"];
    for (const s of sel) if (document.querySelectorAll(s).length) found.push(s);
    for (const s of Array.from(document.scripts)) if (/^\s*window\.__pwned/.test(s.textContent ?? "")) found.push("script: window.__pwned");
    for (const s of Array.from(document.querySelectorAll("style"))) if ((s.textContent ?? "").includes("body{display:none}")) found.push("style: body{display:none}");
    return found;
  });
}

/** Watch a page for dialogs (alert/confirm/prompt): any one fails the test. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return dialogs;
}

async function expectInert(page: Page, where: string, dialogs: string[]): Promise<void> {
  expect(await injectedElements(page), `${where}: injected elements`).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), `${where}: window.__pwned`).toBeUndefined();
  expect(dialogs, `${where}: dialogs`).toEqual([]);
}

async function post<T>(api: APIRequestContext, url: string, data: unknown): Promise<T> {
  const r = await api.post(url, { data });
  expect(r.status(), await r.text()).toBeLessThan(300);
  return (await r.json()) as T;
}

test("SQL and HTML injection strings are stored verbatim and rendered as text everywhere", async ({ page, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const word = uniqueWord("hostile");
  const title = `<img src=x onerror="window.__pwned=1"> '; DROP TABLE tickets; -- ${word}`;
  const description = [`Injection strings for ${word}:`, ...SQL, ...HTML].join("\n");
  const agentComment = [`Agent reply ${word}`, ...HTML.slice(0, 5), SQL[1]].join("\n");
  const requesterComment = [`Requester reply ${word}`, ...HTML.slice(5), SQL[0]].join("\n");

  const agentApi = await playwright.request.newContext({ baseURL });
  const requesterApi = await playwright.request.newContext({ baseURL });
  let key = "";
  try {
    await apiSignIn(agentApi, "agent");
    await apiSignIn(requesterApi, "requester");
    key = (await post<{ ticket: { key: string } }>(agentApi, "/api/tickets", { title, description, email: USERS.requester.email })).ticket.key;
    await post(agentApi, `/api/tickets/${key}/comments`, { body: agentComment });
    await post(requesterApi, `/api/tickets/${key}/comments`, { body: requesterComment });

    // Stored verbatim: the API reads back exactly what was sent.
    const read = await agentApi.get(`/api/tickets/${key}`);
    expect(read.status()).toBe(200);
    const got = (await read.json()) as { ticket: { title: string; description: string }; comments: { body: string }[] };
    expect(got.ticket.title).toBe(title);
    expect(got.ticket.description).toBe(description);
    const bodies = got.comments.map((c) => c.body);
    expect(bodies).toContain(agentComment);
    expect(bodies).toContain(requesterComment);
    // The tickets table is still there (the DROP string was data, not SQL).
    expect((await agentApi.get("/api/tickets?limit=1")).status()).toBe(200);
  } finally {
    await agentApi.dispose();
    await requesterApi.dispose();
  }

  const dialogs = watchDialogs(page);

  // Agent ticket page.
  await signIn(page, "agent", `/tickets/${key}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  const main = page.locator("main");
  for (const s of [...SQL, ...HTML]) await expect(main, `ticket page shows ${s}`).toContainText(s);
  await expect(page.getByTestId("comment-thread")).toContainText(`Agent reply ${word}`);
  await expect(page.getByTestId("comment-thread")).toContainText(`Requester reply ${word}`);
  await expectInert(page, "agent ticket page", dialogs);

  // Ticket list: all unsolved tickets, newest first, and a search whose highlighting wraps the matched word.
  await page.goto("/tickets?view=unsolved");
  const table = page.getByTestId("ticket-table");
  await expect(table.getByRole("row").filter({ hasText: key })).toContainText(title);
  await expectInert(page, "ticket list", dialogs);
  await page.goto(`/tickets?q=${encodeURIComponent(word)}`);
  const hit = page.getByTestId("ticket-table").getByRole("row").filter({ hasText: key });
  await expect(hit).toContainText(title);
  await expect(hit.locator("mark").first()).toBeVisible();
  await expectInert(page, "ticket list search", dialogs);

  // Dashboard (no ticket titles there today; its widgets must still render and run nothing).
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Could not load the statistics")).toHaveCount(0);
  await expectInert(page, "dashboard", dialogs);

  // Requester portal: the list and the request page.
  await page.context().clearCookies();
  await signIn(page, "requester", "/requests");
  await expect(page.getByTestId("request-list")).toContainText(title);
  await expectInert(page, "portal /requests", dialogs);
  await page.goto(`/requests/${key}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  const portal = page.locator("main");
  for (const s of [...SQL, ...HTML]) await expect(portal, `request page shows ${s}`).toContainText(s);
  await expect(portal).toContainText(`Agent reply ${word}`);
  await expect(portal).toContainText(`Requester reply ${word}`);
  await expectInert(page, "portal request page", dialogs);
});
