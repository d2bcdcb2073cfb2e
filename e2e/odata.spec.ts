import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startODataFake, type ODataFake } from "../tests/fakes/odata-server";
import { signIn, uniqueWord } from "./helpers";

/*
 * Admin › OData sources end to end: an admin creates a V2 source in the form against a loopback
 * fake SAP Gateway service (two pages, one closed record, one served twice), runs it now; the
 * server's worker pulls it; the list and the source page show the run's report (3 fetched…),
 * and the created ticket carries the record's title. The source is created inactive so the
 * every-minute schedule does not pull it first.
 */

async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help}`), `${name}: serious/critical axe violations`).toEqual([]);
}

let fake: ODataFake;
const marker = uniqueWord("od");

test.beforeAll(async () => {
  fake = await startODataFake("v2", [
    [
      { NotificationId: `${marker}-1`, ShortText: `Pump ${marker} vibration`, LongText: "Vibration above limit on the drive end.", Priority: "1", Status: "OPEN", ChangedAt: "/Date(1772359200000)/" },
      { NotificationId: `${marker}-2`, ShortText: "Closed leak", LongText: "Done.", Priority: "3", Status: "CLOSED", ChangedAt: "/Date(1772359200000)/" },
    ],
    [{ NotificationId: `${marker}-1`, ShortText: `Pump ${marker} vibration rising`, LongText: "Vibration 14 mm/s.", Priority: "1", Status: "OPEN", ChangedAt: "/Date(1772362800000)/" }],
  ]);
});
test.afterAll(async () => {
  await fake?.close();
});

test("an admin creates an OData source, runs it now and sees the report", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "admin", "/admin/odata");
  await page.goto("/admin/odata");
  await expect(page.getByRole("heading", { level: 2, name: "Sources" })).toBeVisible();
  await expectNoSeriousViolations(page, "/admin/odata");

  const form = page.getByTestId("odata-source-form");
  await form.getByRole("button", { name: "Create source" }).click();
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");

  const name = `Plant ${marker}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Entity set").fill("NotificationSet");
  await form.getByLabel("Service URL").fill(fake.root);
  await form.getByLabel("SAP client (optional)").fill("100");
  await form.getByLabel("Kind").selectOption({ label: "None" });
  await form.getByLabel("External id").fill("NotificationId");
  await form.getByLabel("Title", { exact: true }).fill("ShortText");
  await form.getByLabel("Description (optional)").fill("LongText");
  await form.getByLabel("Priority (optional)").fill("Priority");
  await form.getByLabel("Changed at (optional)").fill("ChangedAt");
  await form.getByLabel("Priority values (optional)").fill("1 = P1\n2 = P2");
  await form.getByLabel("Closed when property (optional)").fill("Status");
  await form.getByLabel("has one of").fill("CLOSED");
  await form.getByLabel("Mail each run's report to (optional)").fill("plant.manager@example.com");
  await form.getByLabel("Active (pull on schedule)").uncheck();
  await form.getByRole("button", { name: "Create source" }).click();
  await expect(form.getByRole("status")).toContainText(`Source ${name} created`);

  const row = page.getByTestId(`odata-source-${name}`);
  await expect(row).toContainText("Never ran");
  await row.getByRole("button", { name: `Run ${name} now` }).click();
  await expect(row.getByRole("status")).toContainText("Run queued");

  // The worker pulls it (the run-now job); poll the page until the run has finished.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId(`odata-source-${name}`)).toContainText("succeeded 3 fetched, 1 created, 0 updated, 2 skipped, 0 errors");
  }).toPass({ timeout: 60_000, intervals: [1000] });

  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("odata-run-table")).toContainText("manual");
  await expect(page.getByTestId("odata-run-table")).toContainText("1 created");
  await expectNoSeriousViolations(page, "/admin/odata/[id]");

  const sent = fake.pageRequests();
  expect(sent.length).toBe(2);
  expect(sent[0].url.searchParams.get("sap-client")).toBe("100");
  expect(sent[0].url.searchParams.get("$format")).toBe("json");

  await page.goto(`/tickets?q=${marker}`);
  await expect(page.getByTestId("ticket-table").getByText(`Pump ${marker} vibration rising`)).toBeVisible();
});
