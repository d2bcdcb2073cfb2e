"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { controlClass, Hint, Label } from "@/components/ui/field";
import { cx } from "@/components/ui/cx";
import type { RequesterMove } from "@/lib/portal/requester-status";
import { postJson } from "./post-json";

/**
 * The requester's status controls on /requests/{key} (POST /api/tickets/{key}/requester-status):
 * "Mark as solved" with an optional note while the ticket is worked on; "Reopen" while it is
 * resolved within the reopen window; otherwise why it cannot be reopened and a link to a new
 * request. Refreshes the page after a change.
 */
export function RequesterStatusCard({ ticketKey, move, reopenWindowDays }: { ticketKey: string; move: RequesterMove; reopenWindowDays: number }) {
  const id = useId();
  const router = useRouter();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(e: FormEvent<HTMLFormElement>, body: { action: "solve"; note?: string } | { action: "reopen" }) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await postJson(`/api/tickets/${encodeURIComponent(ticketKey)}/requester-status`, body);
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setNote("");
    router.refresh();
  }

  return (
    <Card aria-labelledby={`${id}-h`}>
      <CardHeader>
        <h2 id={`${id}-h`} className="text-sm font-semibold">
          {move.kind === "solve" ? "Solved already?" : move.kind === "reopen" ? "Not solved after all?" : "Need more help?"}
        </h2>
      </CardHeader>
      <div className="space-y-3 px-4 py-3 text-sm" data-testid="requester-status">
        {error ? (
          <Alert tone="error" live title="Could not change the request">
            {error}
          </Alert>
        ) : null}
        {move.kind === "solve" ? (
          <form onSubmit={(e) => void send(e, { action: "solve", note: note.trim() || undefined })} className="space-y-2" aria-busy={busy}>
            <Label htmlFor={`${id}-note`}>How was it solved? (optional)</Label>
            <textarea
              id={`${id}-note`}
              rows={2}
              maxLength={5000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-describedby={`${id}-note-hint`}
              className={cx(controlClass)}
            />
            <Hint id={`${id}-note-hint`}>If the problem went away, mark the request solved so the team can move on.</Hint>
            <Button type="submit" variant="secondary" disabled={busy}>
              {busy ? "Saving…" : "Mark as solved"}
            </Button>
          </form>
        ) : move.kind === "reopen" ? (
          <form onSubmit={(e) => void send(e, { action: "reopen" })} className="space-y-2" aria-busy={busy}>
            <p className="text-slate-700">
              You can reopen this request until{" "}
              <time dateTime={move.until}>{new Date(move.until).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}</time>.
              Replying below reopens it too.
            </p>
            <Button type="submit" variant="secondary" disabled={busy}>
              {busy ? "Reopening…" : "Reopen request"}
            </Button>
          </form>
        ) : (
          <p className="text-slate-700" data-testid="reopen-closed">
            {move.reason === "closed"
              ? "This request is closed and cannot be reopened."
              : `This request was resolved more than ${reopenWindowDays} days ago and cannot be reopened.`}{" "}
            <Link href="/submit" className={cx(buttonClass("secondary", "sm"), "ml-1")}>
              Submit a new request
            </Link>
          </p>
        )}
      </div>
    </Card>
  );
}
