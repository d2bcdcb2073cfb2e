"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { controlClass, Hint, Label } from "@/components/ui/field";
import { cx } from "@/components/ui/cx";
import type { CsatRatingDTO } from "@/lib/portal/csat";
import type { CsatRatingValue } from "@/lib/portal/schemas";
import { postJson } from "./post-json";

const LABEL: Record<CsatRatingValue, string> = { good: "Good", bad: "Bad" };

/**
 * "How did we do?" on a resolved or closed request (POST /api/tickets/{key}/csat): Good / Bad
 * with an optional comment, asked once; afterwards (and on later visits) the rating with a
 * thank-you instead of the form. The section's id `rate` is the target of the "resolved" mail's link.
 */
export function CsatCard({ ticketKey, rating }: { ticketKey: string; rating: CsatRatingDTO | null }) {
  const id = useId();
  const router = useRouter();
  const [choice, setChoice] = useState<CsatRatingValue | null>(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<CsatRatingDTO | null>(rating);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!choice) return setError("Choose Good or Bad.");
    setBusy(true);
    setError(null);
    const r = await postJson<{ rating: CsatRatingDTO }>(`/api/tickets/${encodeURIComponent(ticketKey)}/csat`, {
      rating: choice,
      ...(comment.trim() ? { comment } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setSaved(r.data.rating);
    router.refresh();
  }

  return (
    <div id="rate" className="scroll-mt-4">
      <Card aria-labelledby={`${id}-h`}>
        <CardHeader>
          <h2 id={`${id}-h`} className="text-sm font-semibold">
            How did we do?
          </h2>
        </CardHeader>
        <div className="space-y-3 px-4 py-3 text-sm" data-testid="csat">
          {saved ? (
            <div role="status" data-testid="csat-thanks">
              <p className="font-medium text-slate-900">
                Thank you for your feedback. You rated this request <strong data-testid="csat-rating">{LABEL[saved.rating]}</strong>.
              </p>
              {saved.comment ? <p className="mt-1 whitespace-pre-wrap text-slate-700">“{saved.comment}”</p> : null}
            </div>
          ) : (
            <form onSubmit={(e) => void submit(e)} className="space-y-3" aria-busy={busy}>
              {error ? (
                <Alert tone="error" live title="Could not save your rating">
                  {error}
                </Alert>
              ) : null}
              <fieldset>
                <legend className="text-slate-700">Was the help you got on this request good or bad?</legend>
                <div className="mt-2 flex gap-2">
                  {(Object.keys(LABEL) as CsatRatingValue[]).map((v) => (
                    <label
                      key={v}
                      className={cx(
                        "inline-flex cursor-pointer items-center gap-2 rounded-md border px-3 py-1.5 font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600/40",
                        choice === v ? "border-brand-600 bg-brand-50 text-brand-900" : "border-slate-300 bg-white text-slate-800",
                      )}
                    >
                      <input type="radio" name={`${id}-rating`} value={v} checked={choice === v} onChange={() => setChoice(v)} className="accent-brand-600" />
                      {LABEL[v]}
                    </label>
                  ))}
                </div>
              </fieldset>
              <div>
                <Label htmlFor={`${id}-comment`}>Comment (optional)</Label>
                <textarea
                  id={`${id}-comment`}
                  rows={2}
                  maxLength={1000}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  aria-describedby={`${id}-comment-hint`}
                  className={cx(controlClass, "mt-1")}
                />
                <Hint id={`${id}-comment-hint`}>What went well, or what should we do better? Asked once per request.</Hint>
              </div>
              <Button type="submit" disabled={busy}>
                {busy ? "Sending…" : "Send rating"}
              </Button>
            </form>
          )}
        </div>
      </Card>
    </div>
  );
}
