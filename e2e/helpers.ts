import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Demo accounts seeded by scripts/demo-seed.mts (lib/demo/seed.ts DEMO_USERS) before the e2e server starts. */
export const USERS = {
  agent: { email: "agent@example.com", password: "agent-demo-2026" },
  admin: { email: "admin@example.com", password: "admin-demo-2026" },
  requester: { email: "requester@example.com", password: "requester-demo-2026" },
} as const;

/** Sign in through the /signin form and wait until we have left it. */
export async function signIn(page: Page, who: keyof typeof USERS, callbackUrl?: string): Promise<void> {
  const { email, password } = USERS[who];
  await page.goto(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

/** Sign in over HTTP (csrf token + credentials callback); the context keeps the session cookie. */
export async function apiSignIn(request: APIRequestContext, who: keyof typeof USERS): Promise<void> {
  const { email, password } = USERS[who];
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
  });
  expect(res.ok(), `sign-in as ${email} answered ${res.status()}`).toBeTruthy();
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(email);
}

/** A short random token that full-text search treats as one word. */
export function uniqueWord(prefix = "zq"): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** "2,041" → 2041 */
export function toNumber(text: string | null): number {
  return Number((text ?? "").replace(/[^0-9.-]/g, ""));
}

/**
 * One credentials sign-in attempt over HTTP, whatever its outcome.
 * @returns `error`: null on success, else next-auth's error code from the answer's `url`
 *   ("CredentialsSignin" for a wrong password, "TooManyAttempts:<s>" while throttled).
 */
export async function trySignIn(request: APIRequestContext, email: string, password: string): Promise<{ error: string | null }> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
    failOnStatusCode: false,
  });
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  return { error: body.url ? new URL(body.url, "http://x").searchParams.get("error") : `HTTP ${res.status()}` };
}

/** Fails with the list of serious or critical axe-core violations on the page (`name` labels the check). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // After a server action re-renders the page, Next streams the <title> in after the content:
  // wait for it, or axe may catch the document between the two (document-title).
  await expect.poll(() => page.title(), { message: `${name}: the page has a title` }).not.toBe("");
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), name).toEqual([]);
}

/**
 * Switch the ticket page's composer to an internal note or a public reply. The toggle is a
 * segmented control: visually hidden radios inside their labels, so the label is what is clicked.
 */
export async function chooseCommentMode(page: Page, mode: "note" | "reply"): Promise<void> {
  const name = mode === "note" ? "Internal note" : "Public reply";
  const toggle = page.getByTestId("composer").getByRole("group", { name: "Comment type" });
  await toggle.getByText(name, { exact: true }).click();
  await expect(toggle.getByRole("radio", { name, exact: true })).toBeChecked();
}
