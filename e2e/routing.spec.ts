import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiSignIn, signIn, uniqueWord } from "./helpers";

/*
 * Admin › Team mappings end to end: an admin creates a webhook team mapping in the form (the list
 * shows header names and "Set", never the secret or header values); a ticket filed for that
 * team is pushed by the server's workers to a loopback receiver (a fake webhook endpoint that
 * checks the signature), which refuses the first delivery with a 400, so the push is
 * dead-lettered: the ticket page says Failed and the dead-letter list offers Retry; after the
 * retry the receiver answers 201 {id, url} and the ticket page links the external record.
 */

async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\n")}`).join("\n");
  expect(serious, `${name}: serious/critical axe violations\n${report}`).toEqual([]);
}

interface Delivery {
  event: string | undefined;
  title: string | undefined;
  signatureOk: boolean;
  apiKey: string | undefined;
  ticketKey: string | undefined;
}

/**
 * Fake webhook receiver: checks `X-Switchboard-Signature`. For tickets whose title holds
 * `marker`, answers the first `ticket.created` with a 400 and later ones with 201
 * {id: WH-<n>, url} (n counts those creates); any other delivery (e.g. demo tickets of the same
 * team still in the event backlog) gets 201 {id: OTHER}.
 */
function startReceiver(secret: string, marker: string): Promise<{ url: string; deliveries: Delivery[]; close: () => Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const ts = String(req.headers["x-switchboard-timestamp"] ?? "");
      const expected = `v1=${crypto.createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
      const got = String(req.headers["x-switchboard-signature"] ?? "");
      let parsed: { event?: string; ticket?: { key?: string; title?: string } } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        /* not JSON: counted as a bad delivery below */
      }
      const d = { event: parsed.event, title: parsed.ticket?.title, signatureOk: got === expected && !!parsed.ticket?.key, apiKey: req.headers["x-api-key"] as string | undefined, ticketKey: parsed.ticket?.key };
      deliveries.push(d);
      const port = (server.address() as AddressInfo).port;
      const creates = deliveries.filter((x) => x.event === "ticket.created" && x.title?.includes(marker)).length;
      if (!d.signatureOk) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "bad signature" }));
      } else if (d.event !== "ticket.created" || !d.title?.includes(marker)) {
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: "OTHER" }));
      } else if (creates === 1) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "queue 'ops' is closed" }));
      } else {
        const id = `WH-${creates}`;
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id, url: `http://127.0.0.1:${port}/records/${id}` }));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}/hooks/switchboard`, deliveries, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

test.describe("admin: team mappings, dead letters, external links", () => {
  test("an admin creates a webhook mapping in the form; the list shows header names and Set, never the secret; the dead-letter section renders", async ({ page }) => {
    const secret = `whsec-${crypto.randomBytes(12).toString("hex")}`;
    const headerValue = `hv-${crypto.randomBytes(8).toString("hex")}`;
    const name = `Ops receiver ${uniqueWord("")}`;
    await signIn(page, "admin");
    await page.goto("/admin/categories");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Team mappings" }).click();
    await expect(page).toHaveURL(/\/admin\/routing$/);
    await expect(page.getByRole("heading", { level: 2, name: "Team mappings" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Failed pushes (dead letters)" })).toBeVisible();
    await expect(page.getByTestId("dead-letter-table")).toBeVisible();
    await expectNoSeriousViolations(page, "/admin/routing");

    // Checked before sending: no name, no URL.
    const form = page.getByTestId("target-form");
    await form.getByRole("button", { name: "Create mapping" }).click();
    await expect(form.getByRole("alert")).toContainText("Please correct the highlighted fields");
    await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Name", { exact: true })).toBeFocused();
    await expect(form.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");

    // Per-kind fields: Jira asks for a project key.
    await form.getByLabel("System").selectOption({ label: "Jira" });
    await expect(form.getByLabel("Project key")).toBeVisible();
    await form.getByLabel("System").selectOption({ label: "Webhook (signed JSON)" });
    await expect(form.getByLabel("Project key")).toHaveCount(0);

    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Team").selectOption({ label: "HR Operations" });
    await form.getByLabel("URL").fill("https://hooks.example.com/switchboard");
    await form.getByLabel("Signing secret").fill(secret);
    await form.getByLabel("Custom headers (optional)").fill(`X-Api-Key: ${headerValue}`);
    // Inactive: this mapping must not push the demo tickets anywhere.
    await form.getByLabel("Active (push new tickets)").uncheck();
    await form.getByRole("button", { name: "Create mapping" }).click();
    await expect(form.getByRole("status")).toContainText(`Mapping ${name} created for team hr-operations.`);

    const row = page.getByTestId(`target-row-${name}`);
    await expect(row).toContainText("HR Operations");
    await expect(row).toContainText("Webhook");
    await expect(row).toContainText("hooks.example.com");
    await expect(row).toContainText("X-Api-Key");
    await expect(row).toContainText("Set");
    await expect(row).toContainText("Inactive");
    const html = await page.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain(headerValue);

    // The edit page says what is stored without showing it.
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByLabel("Signing secret")).toHaveValue("");
    await expect(page.getByText("A secret is stored. Leave this empty to keep it")).toBeVisible();
    await expect(page.getByText("Stored: X-Api-Key.")).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await expectNoSeriousViolations(page, "/admin/routing/[id]");
  });

  test("a pushed ticket is dead-lettered (400), retried from the list, then linked on the ticket page and in its JSON", async ({ page, request }) => {
    // The push is planned from the ticket's event, after the demo seed's ~2,000 ticket events
    // the server's workers work through first: allow for that backlog.
    test.setTimeout(780_000);
    const secret = `whsec-${crypto.randomBytes(12).toString("hex")}`;
    const headerValue = `hv-${crypto.randomBytes(8).toString("hex")}`;
    const name = `PMO receiver ${uniqueWord("")}`;
    const marker = uniqueWord("mk");
    const receiver = await startReceiver(secret, marker);
    try {
      await apiSignIn(request, "admin");
      const mapping = await request.post("/api/routing/targets", {
        data: { name, team: "pmo", kind: "webhook", url: receiver.url, secret, headers: { "X-Api-Key": headerValue }, retryLimit: 0 },
      });
      expect(mapping.status(), await mapping.text()).toBe(201);
      expect(JSON.stringify(await mapping.json())).not.toContain(secret);

      const created = await request.post("/api/tickets", {
        data: { title: `Project workspace request ${marker}`, description: "Please set up a project workspace and a board for the new office move project", email: "requester@example.com", team: "pmo" },
      });
      expect(created.status(), await created.text()).toBe(201);
      const key = ((await created.json()) as { ticket: { key: string } }).ticket.key;
      const creates = () => receiver.deliveries.filter((d) => d.event === "ticket.created" && d.ticketKey === key);
      await expect.poll(() => creates().length, { timeout: 600_000, intervals: [2_000] }).toBeGreaterThanOrEqual(1);
      expect(creates()[0]).toMatchObject({ signatureOk: true, apiKey: headerValue, ticketKey: key });
      expect(receiver.deliveries.every((d) => d.signatureOk)).toBe(true);

      await signIn(page, "admin");
      await expect(async () => {
        await page.goto(`/tickets/${key}`);
        await expect(page.getByTestId("external-push-state").filter({ hasText: "Failed" })).toContainText("HTTP 400", { timeout: 1_000 });
      }).toPass({ timeout: 30_000 });

      // The dead-letter list has it, with the last error and a Retry button.
      await page.goto("/admin/routing");
      const dead = page.getByTestId("dead-letter-table").getByRole("row").filter({ hasText: key });
      await expect(dead).toContainText(name);
      await expect(dead).toContainText("HTTP 400");
      await expectNoSeriousViolations(page, "/admin/routing with a dead letter");
      await dead.getByRole("button", { name: `Retry push of ${key} to ${name}` }).click();
      await expect(dead.getByRole("status")).toContainText("Queued again.");
      await page.reload();
      await expect(page.getByTestId("dead-letter-table").getByRole("row").filter({ hasText: key })).toHaveCount(0);

      // Retried: the receiver now answers 201 {id, url}; the ticket page links the record.
      await expect.poll(() => creates().length, { timeout: 120_000, intervals: [1_000] }).toBeGreaterThanOrEqual(2);
      const recordUrl = receiver.url.replace("/hooks/switchboard", "/records/WH-2");
      await expect(async () => {
        await page.goto(`/tickets/${key}`);
        await expect(page.getByTestId("external-links").getByRole("link", { name: /Webhook: WH-2/ })).toHaveAttribute("href", recordUrl, { timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
      await expectNoSeriousViolations(page, "/tickets/[key] with an external link");

      const json = (await (await request.get(`/api/tickets/${key}`)).json()) as { externalLinks: unknown[] };
      expect(json.externalLinks).toEqual([{ target: name, kind: "webhook", externalId: "WH-2", url: recordUrl }]);
    } finally {
      await receiver.close();
    }
  });
});
