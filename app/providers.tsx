"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";

// In the browser zod must not probe `new Function` for its JIT: the nonce CSP (proxy.ts) forbids
// eval, and Chrome reports the caught probe as a CSP violation. The server keeps the JIT.
if (typeof window !== "undefined") z.config({ jitless: true });

/** Client-side providers: one TanStack Query client per browser tab. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: true },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
