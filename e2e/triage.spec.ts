import { expect, test } from "@playwright/test";
import { signIn, toNumber, uniqueWord } from "./helpers";

test("a requester starting a near-identical ticket sees their open one as a possible duplicate", async ({ page }) => {
  const word = uniqueWord();
  const description =
    "The badge reader at the north entrance of building C rejects my access card every morning since the office move, " +
    `so I have to wait for reception to let me in (${word}).`;

  await signIn(page, "requester");
  await page.goto("/submit");
  await page.getByLabel("Title").fill(`Access card rejected at north entrance ${word}`);
  await page.getByLabel("Description", { exact: true }).fill(description);
  await page.getByLabel("Description", { exact: true }).blur();
  await expect(page.getByTestId("suggestion-chips")).toBeVisible();
  await page.getByRole("button", { name: "Submit ticket" }).click();
  const keyEl = page.getByTestId("created-key");
  await expect(keyEl).toHaveText(/^T-\d+$/);
  const key = (await keyEl.textContent())!.trim();

  // A second ticket about the same problem: the first one shows up once the description is left.
  await page.getByRole("button", { name: "Submit another ticket" }).click();
  await expect(page.getByTestId("possible-duplicates")).toHaveCount(0);
  await page.getByLabel("Title").fill("Badge reader still rejects my card");
  await page.getByLabel("Description", { exact: true }).fill(description.replace("every morning", "each morning"));
  await page.getByLabel("Description", { exact: true }).blur();

  const duplicates = page.getByRole("region", { name: "Possible duplicates" });
  await expect(duplicates).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /possible duplicates? listed below/ })).toHaveCount(1);
  const item = duplicates.getByTestId("duplicate-item").filter({ hasText: key });
  await expect(item).toBeVisible();
  await expect(item).toContainText("New");
  await expect(item).toContainText(/\d+% similar/);
  const link = item.getByRole("link", { name: new RegExp(`^${key}\\b`) });
  await expect(link).toHaveAttribute("href", `/requests/${key}`);

  // Following it opens the requester's own view of the existing ticket.
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/requests/${key}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Access card rejected at north entrance");
});

test("an anonymous visitor gets suggestions but no possible duplicates", async ({ page }) => {
  await page.goto("/submit");
  await page.getByLabel("Title").fill("Badge reader rejects my access card");
  await page
    .getByLabel("Description", { exact: true })
    .fill("The badge reader at the north entrance of building C rejects my access card every morning since the office move.");
  await page.getByLabel("Description", { exact: true }).blur();
  await expect(page.getByTestId("suggestion-chips")).toBeVisible();
  await expect(page.getByTestId("possible-duplicates")).toHaveCount(0);
});

/**
 * A ticket the local model cannot place (made-up words: its best category gets about 33%,
 * under the 0.5 review threshold), so it is certain to wait in the review queue.
 */
const UNPLACEABLE = { title: "Unclear request", description: "bcdfg hjklm npqrs" };

test("the dashboard shows triage accuracy and the review queue, which opens the filtered list", async ({ page }) => {
  await signIn(page, "agent");
  // The state under test: at least one ticket waiting for an agent to confirm its triage.
  const res = await page.request.post("/api/tickets", { data: { ...UNPLACEABLE, email: `e2e-review-${uniqueWord()}@example.com` } });
  expect(res.status()).toBe(201);
  const created = (await res.json()) as { ticket: { key: string }; triage: { needsReview: boolean; confidence: number } };
  expect(created.triage.needsReview, `the model placed it with confidence ${created.triage.confidence}`).toBe(true);
  const key = created.ticket.key;

  await page.goto("/dashboard");

  const section = page.getByRole("region", { name: "Triage", exact: true });
  await expect(section).toBeVisible();
  const accuracy = page.getByTestId("triage-accuracy");
  await expect(accuracy).toHaveText(/^\d{1,3}\.\d%$/);
  await expect(page.getByTestId("triage-accuracy-detail")).toHaveText(/^\d[\d,]*\/\d[\d,]*$/);
  const [correct, reviewed] = (await page.getByTestId("triage-accuracy-detail").textContent())!.split("/").map((x) => toNumber(x));
  expect(reviewed).toBeGreaterThan(0);
  expect(toNumber(await accuracy.textContent())).toBeCloseTo((100 * correct) / reviewed, 0);

  const queue = page.getByTestId("review-queue");
  await expect(queue).toHaveText(/^\d[\d,]*$/);
  const queued = toNumber(await queue.textContent());
  expect(queued).toBeGreaterThan(0);
  await expect(page.getByTestId("triage-llm-share")).toHaveText(/^\d{1,3}\.\d%$/);
  await expect(page.getByTestId("triage-llm-cost")).toHaveText(/^\$\d+\.\d{4}$/);
  for (const title of ["Triage decisions per day", "LLM tokens per day", "LLM cost per day"]) {
    await expect(section.getByRole("heading", { name: title })).toBeVisible();
  }

  // The header shows the same count to agents.
  await expect(page.getByTestId("nav-review-count")).toHaveText(queued > 999 ? "999+" : String(queued));

  await section.getByRole("link", { name: "Open the review queue" }).click();
  await expect(page).toHaveURL(/\/tickets\?needsReview=true&status=new%2Copen%2Cin_progress%2Cwaiting$|\/tickets\?needsReview=true&status=new,open,in_progress,waiting$/);
  await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Review queue/ })).toHaveAttribute("aria-current", "page");
  // Newest first: the ticket filed above is on the first page of the queue.
  const table = page.getByTestId("ticket-table");
  await expect(table).toBeVisible();
  await expect(table.getByRole("link", { name: key, exact: true })).toBeVisible();
});
