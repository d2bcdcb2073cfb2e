"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

const buttonClass =
  "rounded-md border border-slate-600 px-2.5 py-1 text-sm font-medium text-slate-100 hover:bg-slate-800 disabled:opacity-60 focus-visible:outline-white";

/**
 * Sign out of this browser, and next to it "Sign out everywhere": ends every session of the user
 * on all devices (POST /api/auth/sign-out-everywhere bumps the session version), then signs out here.
 */
export function SignOutButton() {
  const [pending, setPending] = useState<null | "here" | "everywhere">(null);
  const [failed, setFailed] = useState(false);

  async function everywhere() {
    setPending("everywhere");
    setFailed(false);
    try {
      const res = await fetch("/api/auth/sign-out-everywhere", { method: "POST" });
      // 401: this session was already revoked; signing out here is all that is left to do.
      if (!res.ok && res.status !== 401) throw new Error(String(res.status));
      await signOut({ callbackUrl: "/" });
    } catch {
      setFailed(true);
      setPending(null);
    }
  }

  return (
    <span className="flex items-center gap-2">
      <button
        type="button"
        disabled={pending !== null}
        onClick={() => {
          setPending("here");
          void signOut({ callbackUrl: "/" });
        }}
        className={buttonClass}
      >
        {pending === "here" ? "Signing out…" : "Sign out"}
      </button>
      <button
        type="button"
        disabled={pending !== null}
        onClick={() => void everywhere()}
        title="End your sessions on every device"
        className={buttonClass}
      >
        {pending === "everywhere" ? "Signing out…" : "Sign out everywhere"}
      </button>
      {failed ? (
        <span role="alert" className="text-xs text-red-300">
          Could not sign out everywhere; try again.
        </span>
      ) : null}
    </span>
  );
}
