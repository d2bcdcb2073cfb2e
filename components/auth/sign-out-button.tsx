"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/" });
      }}
      className="rounded-md border border-slate-600 px-2.5 py-1 text-sm font-medium text-slate-100 hover:bg-slate-800 disabled:opacity-60 focus-visible:outline-white"
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
