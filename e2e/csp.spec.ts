import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

/** Collect every CSP violation the browser reports on this page (console and the DOM event). */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  page.on("pageerror", (err) => {
    if (/Content Security Policy/i.test(err.message)) violations.push(err.message);
  });
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return violations;
}

/** Visit `path`, check the CSP header has a nonce that the page's scripts carry, and wait for hydration. */
async function visit(page: Page, path: string): Promise<void> {
  const res = await page.goto(path);
  expect(res, path).not.toBeNull();
  expect(res!.status(), path).toBeLessThan(400);
  const csp = (await res!.allHeaders())["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `${path}: CSP header with a nonce`).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("'strict-dynamic'");
  // Next put the nonce on the scripts in its HTML (the browser hides the attribute, the property keeps it);
  // chunks its runtime loads later carry none and are allowed by 'strict-dynamic'.
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ nonce: s.nonce, inline: !s.src })));
  expect(scripts.filter((s) => s.nonce === nonce).length, `${path}: scripts with the nonce`).toBeGreaterThan(0);
  for (const s of scripts.filter((x) => x.inline)) expect(s.nonce, `${path}: inline script nonce`).toBe(nonce);
  await page.waitForLoadState("networkidle");
}

test.describe("Content-Security-Policy", () => {
  test("pages satisfy the nonce CSP: sign-in, submit, tickets, dashboard", async ({ page }) => {
    const violations = watchCsp(page);
    await visit(page, "/signin");
    await visit(page, "/submit");
    // the sign-in form works (client JS ran under the CSP)
    await signIn(page, "agent");
    await visit(page, "/tickets");
    await visit(page, "/dashboard");
    await page.waitForTimeout(500); // late violations (charts, polling)
    expect(violations).toEqual([]);
  });

  test("API responses carry a deny-all CSP and the static security headers", async ({ request }) => {
    const res = await request.get("/api/health");
    const h = res.headers();
    expect(h["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBeTruthy();
    expect(await res.json()).toEqual({ status: "ok" }); // anonymous: status only
  });

  test("hostile callbackUrl values render the sign-in page (no 500) and sign-in stays on this site", async ({ page, baseURL }) => {
    for (const v of ["/\t/evil.example", "/\\evil.example", "//evil.example", "https://evil.example", "javascript:alert(1)", "/x\r\ny", "/ä?ü=1", `/${"a".repeat(3000)}`]) {
      const res = await page.goto(`/signin?callbackUrl=${encodeURIComponent(v)}`);
      expect(res!.status(), JSON.stringify(v)).toBe(200);
      await expect(page.getByRole("heading", { name: "Sign in to Switchboard" })).toBeVisible();
    }
    await page.goto(`/signin?callbackUrl=${encodeURIComponent("/\t/evil.example")}`);
    await page.getByLabel("E-mail").fill("agent@example.com");
    await page.getByLabel("Password").fill("agent-demo-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });
});
