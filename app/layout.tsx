import type { Metadata } from "next";
import { unstable_rethrow } from "next/navigation";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";
import type { Principal } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";
import { logger } from "@/lib/observability/logger";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchboard", template: "%s · Switchboard" },
  description: "Self-hostable AI service desk: tickets, triage, routing, SLA.",
  icons: { icon: "/favicon.svg" },
};

async function principalOrNull(): Promise<Principal | null> {
  try {
    return await currentPrincipal();
  } catch (err) {
    unstable_rethrow(err); // Next's own control flow (dynamic rendering, redirects) must pass through
    // The header must not take every page down (e.g. while the database starts).
    logger.warn({ err }, "could not resolve the session for the header");
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const principal = await principalOrNull();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-slate-900 focus:shadow-lg"
        >
          Skip to content
        </a>
        <Providers>
          <SiteHeader principal={principal} />
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 focus:outline-none">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
