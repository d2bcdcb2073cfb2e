"use client";

import { useEffect } from "react";

/** Fallback for unexpected errors below the root layout (the header stays usable). */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error ? String((error as { digest?: string }).digest ?? "") : "";
  return (
    <div role="alert" className="mx-auto max-w-lg py-10 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-700">
        The page could not be shown. It has been logged{digest ? ` (reference ${digest})` : ""}; try again in a moment.
      </p>
      <button
        type="button"
        onClick={() => retry()}
        className="mt-4 inline-flex h-9 items-center rounded-md bg-brand-600 px-3.5 text-sm font-medium text-white hover:bg-brand-700"
      >
        Try again
      </button>
    </div>
  );
}
