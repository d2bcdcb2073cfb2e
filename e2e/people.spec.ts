import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn, uniqueWord } from "./helpers";

/*
 * People admin and the password flows through the UI (no SMTP in e2e: mails stay in the dev
 * outbox, read here through the admin outbox API): an admin invites a person, the invitee opens
 * the mailed link, chooses a password and signs in; then "forgot password" mails a reset link
 * that works once.
 */

test.describe.configure({ mode: "serial" });

const email = `${uniqueWord("invitee")}@example.com`;
const FIRST_PASSWORD = "first-password-2026";
const SECOND_PASSWORD = "second-password-2026";

/** The newest mail of `kind` to `to` in the dev outbox (polled: it is written in the request's transaction), as its text part. */
async function mailText(admin: Page, kind: string, to: string, count = 1): Promise<string> {
  let id = 0;
  await expect
    .poll(
      async () => {
        const res = await admin.request.get(`/api/admin/outbox?kind=${kind}&to=${encodeURIComponent(to)}&limit=20`);
        const items = ((await res.json()) as { items: { id: number }[] }).items;
        id = items[0]?.id ?? 0;
        return items.length;
      },
      { timeout: 30_000 },
    )
    .toBe(count);
  return ((await (await admin.request.get(`/api/admin/outbox/${id}`)).json()) as { text: string }).text;
}

/** The app path of the link in a mail (`/invite/<token>` or `/reset-password/<token>`). */
function linkPath(text: string, path: "invite" | "reset-password"): string {
  const m = new RegExp(`https?://[^\\s"<>]+(/${path}/[A-Za-z0-9_-]{43})`).exec(text);
  expect(m, `no ${path} link in:\n${text}`).toBeTruthy();
  return m![1];
}

/** Sign in through the /signin form with any credentials and check the session's e-mail. */
async function signInAs(page: Page, who: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(who);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(who);
}

async function anonymousPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext();
  return ctx.newPage();
}

let admin: Page;

test.beforeAll(async ({ browser }) => {
  admin = await (await browser.newContext()).newPage();
  await signIn(admin, "admin", "/admin/people");
});

test("an admin invites a person; the invitee sets a password from the mailed link and signs in", async ({ browser }) => {
  test.setTimeout(120_000);
  await admin.goto("/admin/people");
  await expect(admin.getByRole("link", { name: "People", exact: true })).toHaveAttribute("aria-current", "page");
  const form = admin.getByRole("form", { name: "Invite a person" });
  await form.getByLabel("E-mail").fill(email);
  await form.getByLabel("Name").fill("Ivy Invitee");
  await form.getByLabel("Role").selectOption("agent");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `Invitation mailed to ${email}` })).toBeVisible();

  await admin.goto(`/admin/people?q=${encodeURIComponent(email)}`);
  await expect(admin.getByTestId("person-row")).toHaveCount(1);
  await expect(admin.getByTestId("person-row")).toContainText("invited");

  const path = linkPath(await mailText(admin, "account_invite", email), "invite");
  const invitee = await anonymousPage(browser);
  await invitee.goto(path);
  await expect(invitee.getByTestId("invite-page")).toHaveAttribute("data-state", "valid");
  await invitee.getByLabel("New password", { exact: true }).fill(FIRST_PASSWORD);
  await invitee.getByLabel("New password again").fill(FIRST_PASSWORD);
  await invitee.getByRole("button", { name: "Activate account" }).click();
  await expect(invitee.getByText("Your account is ready")).toBeVisible();

  await signInAs(invitee, email, FIRST_PASSWORD);

  // the link works once
  const again = await anonymousPage(browser);
  await again.goto(path);
  await expect(again.getByTestId("invite-page")).toHaveAttribute("data-state", "used");
});

test("forgot password: the same answer for any address; the mailed link resets the password once", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await anonymousPage(browser);
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);

  const answer = "If this address belongs to an active account, we have mailed it a link";
  await page.getByLabel("E-mail").fill(`${uniqueWord("nobody")}@example.com`);
  await page.getByRole("button", { name: "Mail me a reset link" }).click();
  await expect(page.getByRole("status").filter({ hasText: answer })).toBeVisible();

  await page.reload();
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Mail me a reset link" }).click();
  await expect(page.getByRole("status").filter({ hasText: answer })).toBeVisible();

  const path = linkPath(await mailText(admin, "password_reset", email), "reset-password");
  await page.goto(path);
  await expect(page.getByTestId("reset-page")).toHaveAttribute("data-state", "valid");
  await page.getByLabel("New password", { exact: true }).fill(SECOND_PASSWORD);
  await page.getByLabel("New password again").fill(SECOND_PASSWORD);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("Your password has been changed")).toBeVisible();

  await page.goto(path);
  await expect(page.getByTestId("reset-page")).toHaveAttribute("data-state", "used");
  await signInAs(page, email, SECOND_PASSWORD);
});
