import type { ReactNode } from "react";

/** Search-match markers in TicketDTO.highlight texts (lib/search/highlight.ts). */
const START = "\u0001";
const END = "\u0002";

/** A highlighted text split into runs: `mark` runs are search matches. Unbalanced markers are tolerated. */
export function splitHighlight(text: string): { text: string; mark: boolean }[] {
  const runs: { text: string; mark: boolean }[] = [];
  let mark = false;
  let run = "";
  for (const ch of text) {
    if (ch === START || ch === END) {
      if (run) runs.push({ text: run, mark });
      run = "";
      mark = ch === START;
    } else run += ch;
  }
  if (run) runs.push({ text: run, mark });
  return runs;
}

/**
 * A search result's title or excerpt with its matches in `<mark>`. The text is rendered as
 * React text nodes, never as HTML, so whatever a ticket contains stays inert.
 */
export function Highlighted({ text, className }: { text: string; className?: string }): ReactNode {
  return (
    <span className={className}>
      {splitHighlight(text).map((r, i) =>
        r.mark ? (
          <mark key={i} className="rounded-sm bg-amber-100 px-0.5 text-inherit">
            {r.text}
          </mark>
        ) : (
          r.text
        ),
      )}
    </span>
  );
}
