import { expect, test } from "@playwright/test";
import { signIn, toNumber, uniqueWord } from "./helpers";

test("a requester files a ticket, an agent answers it and the dashboard counts it", async ({ page }) => {
  const word = uniqueWord();
  const title = `Printer on floor 3 jams ${word}`;

  // 1. Submit anonymously, with on-blur triage suggestions.
  await page.goto("/submit");
  await page.getByLabel("Title").fill(title);
  await page
    .getByLabel("Description", { exact: true })
    .fill("The printer on the third floor jams on every job since this morning and shows error E52 on its display.");
  await page.getByLabel("Description", { exact: true }).blur();

  const chips = page.getByTestId("suggestion-chips");
  await expect(chips).toBeVisible();
  await expect(page.getByTestId("chip-category")).toBeVisible();
  await expect(page.getByTestId("chip-priority")).toBeVisible();
  await expect(page.getByTestId("chip-team")).toBeVisible();
  await expect(page.getByTestId("chip-team-value")).not.toHaveText("");
  await expect(page.getByTestId("suggestion-confidence")).toHaveText(/\d+%/);

  // Change the priority chip: it is sent as an override.
  const priority = page.getByLabel("Priority", { exact: true });
  const suggested = await priority.inputValue();
  const chosen = suggested === "P1" ? "P2" : "P1";
  await priority.selectOption(chosen);
  await expect(page.getByTestId("chip-priority")).toHaveAttribute("data-changed", "true");

  await page.getByLabel("Your e-mail").fill(`e2e-${word}@example.com`);
  await page.getByRole("button", { name: "Submit ticket" }).click();

  const keyEl = page.getByTestId("created-key");
  await expect(keyEl).toHaveText(/^T-\d+$/);
  const key = (await keyEl.textContent())!.trim();
  await expect(page.getByRole("heading", { name: `Ticket ${key} created` })).toBeVisible();

  // 2. An agent finds it by searching its title.
  await signIn(page, "agent");
  await expect(page).toHaveURL(/\/tickets$/);
  await page.getByRole("searchbox", { name: "Search" }).fill(word);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  const table = page.getByTestId("ticket-table");
  await expect(table.getByRole("link", { name: key })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(2); // header + our ticket

  // 3. Open it: new, the requester's priority, no first response yet.
  await table.getByRole("link", { name: key }).click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${key}$`));
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("ticket-status")).toHaveText("New");
  await expect(page.getByTestId("first-response")).toHaveText(/Awaiting reply/);
  await expect(page.getByTestId("triage-panel")).toContainText("requester"); // overridden by the requester

  // 4. Post a public reply: it shows up, the ticket opens and gets its first response.
  const reply = `Thanks, a technician is on the way (${word}).`;
  await page.getByLabel("Reply", { exact: true }).fill(reply);
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reply sent to the requester." })).toBeVisible();
  const posted = page.getByTestId("public-reply").filter({ hasText: reply });
  await expect(posted).toBeVisible();
  await expect(posted).toContainText("Public reply");
  await expect(page.getByTestId("ticket-status")).toHaveText("Open");
  await expect(page.getByTestId("first-response")).not.toHaveText(/Awaiting reply/);
  await expect(page.getByTestId("audit-timeline")).toContainText("Public reply added");

  // 5. The dashboard picks up a new ticket within seconds, without reloading.
  await page.goto("/dashboard");
  const total = page.getByTestId("stat-total");
  await expect(total).toHaveText(/^\d[\d,]*$/, { timeout: 30_000 }); // the sections load after the page
  const before = toNumber(await total.textContent());
  expect(before).toBeGreaterThan(0);

  const res = await page.request.post("/api/tickets", {
    data: {
      title: `Dashboard check ${word}`,
      description: "Created by the end-to-end test to check that the dashboard refreshes by itself.",
      email: `e2e-${word}@example.com`,
    },
  });
  expect(res.status()).toBe(201);
  // Polled every 5 s; a busy browser stretches the interval (traces showed 10–13 s), hence 20 s.
  await expect.poll(async () => toNumber(await total.textContent()), { timeout: 20_000, intervals: [500] }).toBeGreaterThan(before);
});
