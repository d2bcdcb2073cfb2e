"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { queryKeys } from "@/lib/query-keys";

/** How often the list asks whether anything changed, in ms (a change shows within about this long). */
export const LIVE_POLL_MS = 3_000;

async function fetchVersion(): Promise<string> {
  const res = await fetch("/api/workspace/version", { cache: "no-store" });
  if (!res.ok) throw new Error(`GET /api/workspace/version: ${res.status}`);
  return ((await res.json()) as { version: string }).version;
}

/**
 * Keeps a server-rendered page live: polls GET /api/workspace/version (the newest domain
 * event's id, from the database, so changes made through any app instance count) every
 * {@link LIVE_POLL_MS} ms while the tab is visible, and re-renders the page with
 * `router.refresh()` when it changed. Client state (selection, focus) survives a refresh.
 */
export function LiveRefresh({ version }: { version: string }) {
  const router = useRouter();
  const seen = useRef(version);
  const { data } = useQuery({ queryKey: queryKeys.workspace.version(), queryFn: fetchVersion, refetchInterval: LIVE_POLL_MS, staleTime: 0 });
  useEffect(() => {
    seen.current = version;
  }, [version]);
  useEffect(() => {
    if (data !== undefined && data !== seen.current) {
      seen.current = data;
      router.refresh();
    }
  }, [data, router]);
  return null;
}
